import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.VelocityContext;
import java.io.*;
import java.util.*;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

public class Oracle {
  public static class Util {
    public String escapeJavaScript(String s) { return org.apache.commons.lang.StringEscapeUtils.escapeJavaScript(s); }
    public String urlEncode(String s) throws Exception { return java.net.URLEncoder.encode(s, "UTF-8"); }
    public String urlDecode(String s) throws Exception { return java.net.URLDecoder.decode(s, "UTF-8"); }
    public String base64Encode(String s) { return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)); }
    public String base64Decode(String s) { return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8); }
    public Object parseJson(String s) { return new Json(s).value(); }
  }
  static class Json {
    String s; int i = 0;
    Json(String s) { this.s = s; }
    void ws() { while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) i++; }
    Object value() {
      ws(); char c = s.charAt(i);
      if (c == '{') { i++; LinkedHashMap<String,Object> m = new LinkedHashMap<>(); ws(); if (s.charAt(i)=='}') { i++; return m; }
        while (true) { ws(); String k = (String) value(); ws(); i++; Object v = value(); m.put(k, v); ws(); char d = s.charAt(i++); if (d == '}') return m; } }
      if (c == '[') { i++; ArrayList<Object> l = new ArrayList<>(); ws(); if (s.charAt(i)==']') { i++; return l; }
        while (true) { l.add(value()); ws(); char d = s.charAt(i++); if (d == ']') return l; } }
      if (c == '"') { i++; StringBuilder b = new StringBuilder(); while (true) { char d = s.charAt(i++); if (d == '"') break;
          if (d == '\\') { char e = s.charAt(i++); switch (e) { case 'n': b.append('\n'); break; case 't': b.append('\t'); break; case 'r': b.append('\r'); break; case 'b': b.append('\b'); break; case 'f': b.append('\f'); break; case 'u': b.append((char) Integer.parseInt(s.substring(i, i+4), 16)); i += 4; break; default: b.append(e); } }
          else b.append(d); } return b.toString(); }
      if (s.startsWith("true", i)) { i += 4; return Boolean.TRUE; }
      if (s.startsWith("false", i)) { i += 5; return Boolean.FALSE; }
      if (s.startsWith("null", i)) { i += 4; return null; }
      int st = i; while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
      String n = s.substring(st, i);
      if (n.contains(".") || n.contains("e") || n.contains("E")) return Double.valueOf(n);
      BigInteger b = new BigInteger(n);
      if (b.bitLength() < 32) return Integer.valueOf(b.intValue());
      if (b.bitLength() < 64) return Long.valueOf(b.longValue());
      return b;
    }
  }
  // input: lines "TEMPLATE_JSON_STRING\tVARS_JSON"; output: one JSON line per case
  static String q(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) { if (c == '"' || c == '\\') b.append('\\').append(c); else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c)); else b.append(c); }
    return b.append('"').toString();
  }
  public static void main(String[] a) throws Exception {
    BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    PrintStream out = new PrintStream(System.out, true, "UTF-8");
    while ((line = r.readLine()) != null) {
      int tab = line.indexOf('\t');
      String tpl = (String) new Json(line.substring(0, tab)).value();
      Object vars = new Json(line.substring(tab + 1)).value();
      VelocityEngine ve = new VelocityEngine();
      ve.setProperty("runtime.log.logsystem.class", "org.apache.velocity.runtime.log.NullLogChute");
      ve.init();
      VelocityContext ctx = new VelocityContext();
      for (Map.Entry<String,Object> e : ((Map<String,Object>) vars).entrySet()) if (e.getValue() != null) ctx.put(e.getKey(), e.getValue());
      ctx.put("util", new Util());
      StringWriter w = new StringWriter();
      try { ve.evaluate(ctx, w, "case", tpl); out.println("{\"out\":" + q(w.toString()) + "}"); }
      catch (Throwable t) { out.println("{\"err\":" + q(t.getClass().getName() + ": " + String.valueOf(t.getMessage()).split("\n")[0]) + ",\"partial\":" + q(w.toString()) + "}"); }
    }
  }
}
