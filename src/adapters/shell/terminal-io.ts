import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * Lines in, text out: readline on a terminal (prompt, up-arrow history, tab
 * completion) or on piped standard input (no prompt, every line in order).
 */
export class TerminalIO {
  readonly interactive: boolean;
  private readonly rl: readline.Interface;
  private readonly lines: AsyncIterator<string>;
  private closed = false;
  private stopped = false;

  constructor(
    input: Readable & { isTTY?: boolean },
    private readonly output: Writable & { isTTY?: boolean },
    completer?: (line: string) => Promise<[string[], string]>,
  ) {
    this.interactive = !!input.isTTY && !!output.isTTY;
    this.rl = readline.createInterface({
      input,
      output: this.interactive ? output : undefined,
      terminal: this.interactive,
      historySize: 500,
      completer: completer && this.interactive
        ? (line: string, callback: (error: Error | null, result: [string[], string]) => void) => {
            completer(line).then((result) => callback(null, result), () => callback(null, [[], line]));
          }
        : undefined,
    });
    // Created at once, so that no piped line is emitted before anyone listens.
    this.lines = this.rl[Symbol.asyncIterator]();
    this.rl.on('close', () => (this.closed = true));
  }

  /** The next line, or null at the end of input (Ctrl-D, end of the pipe). */
  async ask(prompt: string): Promise<string | null> {
    // Lines read before the input ended are still answered (piped input often ends
    // first); after close() (exit, a signal) none is.
    if (this.stopped) return null;
    if (this.interactive && !this.closed) {
      this.rl.setPrompt(prompt);
      this.rl.prompt();
    }
    const next = await this.lines.next();
    return next.done ? null : next.value;
  }

  /** Prints text on its own lines, without breaking a prompt being typed on. */
  print(text: string): void {
    if (this.interactive) {
      readline.clearLine(this.output, 0);
      readline.cursorTo(this.output, 0);
    }
    this.output.write(`${text}\n`);
  }

  /** Prints a question: shown on a terminal and in piped transcripts alike. */
  question(text: string): void {
    this.print(text);
  }

  close(): void {
    this.stopped = true;
    this.rl.close();
  }
}
