/**
 * An error caused by the user's input (a bad file, a wrong option) rather than by a bug.
 * The CLI prints its message without a stack trace; the message must name the file or value
 * at fault and what is wrong with it.
 */
export class UserError extends Error {
  override name = 'UserError';
}
