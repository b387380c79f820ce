// The explorer and network modules (issue 5 "Explorer view" and "Network view"), in SDL order.
import type { ApiModule } from '../schema/module.ts';
import { flowModule } from './flow.ts';
import { networkModule } from './network.ts';
import { packetModule } from './packet.ts';
import { slashModule } from './slash.ts';
import { validatorModule } from './validators.ts';

export const EXPLORER_MODULES: ApiModule[] = [networkModule, validatorModule, packetModule, slashModule, flowModule];
