// The mjml packages ship no type declarations; these cover the parts Deliverlint calls.
declare module 'mjml-parser-xml' {
  interface MjmlNode {
    tagName: string;
    line: number;
    attributes?: Record<string, unknown>;
    children?: MjmlNode[];
  }
  function parse(xml: string, options: Record<string, unknown>): MjmlNode;
  export = parse;
}
declare module 'mjml-validator' {
  export interface ValidationError {
    line: number;
    message: string;
    tagName: string;
  }
  export default function validate(tree: unknown, options: Record<string, unknown>): ValidationError[];
  export const dependencies: Record<string, unknown>;
  export function assignDependencies(target: Record<string, unknown>, ...sources: unknown[]): Record<string, unknown>;
  /** The rules validate() runs on every element, by name. */
  export const rulesCollection: Record<string, (element: unknown, options: Record<string, unknown>) => ValidationError | ValidationError[] | null>;
}
declare module 'mjml-preset-core' {
  const preset: { components: unknown[]; dependencies: Record<string, unknown> };
  export default preset;
}
declare module 'mjml-core' {
  export function assignComponents(target: Record<string, unknown>, components: unknown[]): void;
}
declare module 'mjml-core/lib/types/type' {
  export const initializeType: unknown;
  /** The base class of the attribute types. */
  const Type: unknown;
  export default Type;
}
