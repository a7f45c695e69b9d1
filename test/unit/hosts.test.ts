/** Small pieces of the hosts: link and origin checks, window state, CLI options, the page's CSP. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWebArgs } from '../../main/cli/commands/web';
import { isAppUrl, isSafeExternalUrl, isTrustedAppFrame } from '../../main/electron/security';
import { loadWindowState } from '../../main/electron/window-state';
import { CONTENT_SECURITY_POLICY } from '../../main/host/content-security-policy';
import { findElectronBinary } from '../../main/host/electron-binary';
import { checkArgs } from '../../main/host/schemas';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('external links', () => {
  it('open only https links to known documentation hosts', () => {
    expect(isSafeExternalUrl('https://docs.aws.amazon.com/apigateway/latest/developerguide/')).toBe(true);
    expect(isSafeExternalUrl('https://github.com/some/repo')).toBe(true);
    for (const bad of [
      'http://docs.aws.amazon.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'https://evil.example/',
      'https://docs.aws.amazon.com.evil.example/',
      'https://user:pw@github.com/',
      'https://github.com:8443/',
      'smb://host/share',
      'not a url',
    ]) {
      expect(isSafeExternalUrl(bad), bad).toBe(false);
    }
  });
});

describe('trusted frames', () => {
  it('are the app origin (or the dev server) at the top level', () => {
    expect(isAppUrl('app://gateway-lab/index.html', undefined)).toBe(true);
    expect(isAppUrl('app://gateway-lab.evil/index.html', undefined)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', undefined)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
    expect(isTrustedAppFrame({ url: 'app://gateway-lab/index.html', parent: null }, undefined)).toBe(true);
    expect(isTrustedAppFrame({ url: 'app://gateway-lab/index.html', parent: {} }, undefined)).toBe(false);
  });
});

describe('window state', () => {
  const dirs: string[] = [];
  const dir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-lab-ws-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const screen = [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }];

  it('defaults when nothing or garbage was saved', () => {
    expect(loadWindowState(dir(), screen)).toEqual({ width: 1280, height: 820, maximized: false });
    const d = dir();
    fs.writeFileSync(path.join(d, 'window-state.json'), '{not json');
    expect(loadWindowState(d, screen)).toEqual({ width: 1280, height: 820, maximized: false });
  });

  it('restores the size, and the position only if it is on a screen', () => {
    const d = dir();
    fs.writeFileSync(path.join(d, 'window-state.json'), JSON.stringify({ width: 1500, height: 900, x: 100, y: 50, maximized: true }));
    expect(loadWindowState(d, screen)).toEqual({ width: 1500, height: 900, x: 100, y: 50, maximized: true });
    fs.writeFileSync(path.join(d, 'window-state.json'), JSON.stringify({ width: 100, height: 99999, x: 5000, y: 50 }));
    expect(loadWindowState(d, screen)).toEqual({ width: 800, height: 10000, maximized: false });
  });
});

describe('gateway-lab web options', () => {
  it('parses --port and files', () => {
    expect(parseWebArgs([])).toEqual({ port: 0, files: [] });
    expect(parseWebArgs(['--port', '8080', 'a.yaml'])).toEqual({ port: 8080, files: ['a.yaml'] });
    expect(parseWebArgs(['--port=0'])).toEqual({ port: 0, files: [] });
    expect(parseWebArgs(['--port', '70000'])).toMatch(/--port needs a number/);
    expect(parseWebArgs(['--port'])).toMatch(/--port needs a number/);
    expect(parseWebArgs(['--host', 'x'])).toMatch(/unknown option/);
  });
});

describe('the Electron binary lookup', () => {
  const saved = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
    else process.env.ELECTRON_OVERRIDE_DIST_PATH = saved;
  });

  it('never runs require("electron"), and explains what is missing', () => {
    process.env.ELECTRON_OVERRIDE_DIST_PATH = '/nonexistent/dist';
    const r = findElectronBinary(ROOT);
    expect(r).toEqual({ found: false, reason: expect.stringContaining('ELECTRON_OVERRIDE_DIST_PATH is set') });
    expect(findElectronBinary(os.tmpdir())).toEqual({ found: false, reason: 'the electron package is not installed' });
  });

  it('finds a binary through ELECTRON_OVERRIDE_DIST_PATH', () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'gateway-lab-el-'));
    const name = fs.existsSync(path.join(ROOT, 'node_modules/electron/path.txt')) ? fs.readFileSync(path.join(ROOT, 'node_modules/electron/path.txt'), 'utf8') : 'electron';
    fs.mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
    fs.writeFileSync(path.join(d, name), '');
    process.env.ELECTRON_OVERRIDE_DIST_PATH = d;
    expect(findElectronBinary(ROOT)).toEqual({ found: true, path: path.join(d, name) });
    fs.rmSync(d, { recursive: true, force: true });
  });
});

describe('the page’s Content-Security-Policy', () => {
  it('is the same in the page’s meta tag and in the hosts’ header (but frame-ancestors, header only)', () => {
    const html = fs.readFileSync(path.join(ROOT, 'renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    const header = CONTENT_SECURITY_POLICY.split('; ').filter((d) => !d.startsWith('frame-ancestors')).join('; ');
    expect(meta).toBe(header);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
  });
});

describe('argument schemas', () => {
  it('name the call and the argument in their message', () => {
    expect(checkArgs('runStep', ['s1', 1])).toBeNull();
    expect(checkArgs('runStep', ['s1', 'x'])).toBe('runStep: argument 2 must be integer');
    expect(checkArgs('hostInfo', [1])).toMatch(/^hostInfo: the argument list/);
  });
});
