// What a hostile file or DNS answer can make a terminal or a CI log do: clear the screen, retitle
// the window, reorder text with bidirectional overrides, or start a line of its own that a CI
// system runs as a workflow command (`::error ...`). Text outputs show such characters as \uXXXX.

// C0 controls but the tab, DEL, C1 controls, and the bidirectional marks, embeddings, overrides and isolates.
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `s` with every character that could act on a terminal or start a new line shown as a \u escape. */
export function escapeControl(s: string): string {
  return s.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
