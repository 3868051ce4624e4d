// What the selector input box accepts. What the active document says about its sender comes from
// the language server (deliverlint/domainCheckInputs), which reads the parsed send model. No vscode import.

/** "s1, s2 s3" -> ["s1", "s2", "s3"], duplicates dropped. */
export function splitSelectors(input: string): string[] {
  return [...new Set(input.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean))];
}
