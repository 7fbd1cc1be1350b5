/** Standard output plumbing with no dependencies, so the entry can install it before any command loads. */

/**
 * A reader that stops early (`grasp commits | head -1`) closes the pipe: stop quietly, as git
 * does, instead of dying on an unhandled EPIPE.
 */
export function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream, exit: (code: number) => void = (c) => process.exit(c)): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') exit(0);
    else throw err;
  });
}
