/** `unwind serve`: the HTTP service, until SIGTERM or SIGINT. */
import { loadConfig } from '../config.js';
import { startUnwind } from '../main.js';
import { readySummary } from './ready.js';
import { packageVersion } from './version.js';

export async function serve(): Promise<void> {
  const config = loadConfig();
  const running = await startUnwind(config);
  const summary = readySummary(config, {
    url: running.url,
    adminToken: running.adminToken,
    version: packageVersion(),
  });
  process.stdout.write(`${summary.lines.join('\n')}\n`);
  running.server.log.info(summary.fields, 'unwind is listening');
  const shutdown = (signal: string) => {
    running.server.log.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        running.server.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
