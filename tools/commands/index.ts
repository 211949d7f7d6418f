/**
 * Subcommand registry. One file per subcommand; each exports `register(program)`.
 * Keep this list in the order of DESIGN.md's CLI section.
 */
import type { Command } from 'commander';

export function registerCommands(program: Command): void {
  void program;
}
