import { Command } from 'commander';
import { registerCorrelateCommand } from './correlate-command';
import { registerDemoCommand } from './demo-storm-command';
import { registerIncidentsCommand } from './incidents-command';
import { registerRcaCommand } from './rca-command';
import { registerTopologyCommands } from './topology-commands';
import { registerUsersCommand } from './users-command';
import { registerChaosCommand } from './chaos-command';
import { registerShopCommand } from './shop-command';
import { registerDlqCommand } from './dlq-command';
import { registerSilenceCommands } from './silence-command';
import { registerPostmortemCommand } from './postmortem-command';
import { registerStoreCommand } from './store-command';
import { registerReportCommand } from './report-command';
import { registerTopicsCommand } from './topics-command';

const program = new Command('vigil').description('Vigil AIOps command line').showHelpAfterError();
registerTopologyCommands(program);
registerCorrelateCommand(program);
registerIncidentsCommand(program);
registerDemoCommand(program);
registerRcaCommand(program);
registerUsersCommand(program);
registerChaosCommand(program);
registerShopCommand(program);
registerDlqCommand(program);
registerSilenceCommands(program);
registerPostmortemCommand(program);
registerStoreCommand(program);
registerReportCommand(program);
registerTopicsCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`vigil: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
