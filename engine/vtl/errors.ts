/**
 * Errors raised while compiling or rendering a mapping template.
 *
 * Everything a caller sees is a TemplateError carrying a 1-based line and column, the way
 * Velocity reports `[line 1, column 7]`. Inside the engine, Java-level failures (an index out
 * of bounds, a bad regex, a malformed %-escape) are JavaExceptions; the renderer wraps them
 * with the position of the method call or index that raised them, as Velocity's
 * MethodInvocationException does.
 */
export class TemplateError extends Error {
  line: number;
  column: number;
  constructor(message: string, line: number, column: number) {
    super(message);
    this.name = 'TemplateError';
    this.line = line;
    this.column = column;
  }
}

/** A Java exception thrown by a method the template called (e.g. StringIndexOutOfBoundsException). */
export class JavaException extends Error {
  javaClass: string;
  constructor(javaClass: string, message: string) {
    super(message ? `${javaClass}: ${message}` : javaClass);
    this.name = 'JavaException';
    this.javaClass = javaClass;
  }
}
