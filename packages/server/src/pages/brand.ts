/**
 * /assets/brand.css: the operator's accent colour (SIGIL_BRAND_ACCENT_COLOR, a validated hex
 * value) as CSS variables, in a stylesheet of its own because the pages allow no inline style.
 * The text on accent buttons is black or white, whichever contrasts more (WCAG 2 relative
 * luminance), so any accent stays readable.
 */
export function brandStylesheet(accent: string): string {
  return `:root { --accent: ${accent}; --accent-text: ${textOn(accent)}; }\n`;
}

function textOn(hex: string): string {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d).join("") : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => Number.parseInt(digits.slice(i, i + 2), 16) / 255) as [number, number, number];
  const linear = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  // Contrast with white (1.05 / (L + 0.05)) against contrast with black ((L + 0.05) / 0.05).
  return 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.05 ? "#fff" : "#000";
}
