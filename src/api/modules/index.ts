// Every feature module of the API, in the order their SDL is joined. Add a module with one line here.
import { platformModule } from '../plugins/platform-module.ts';
import type { ApiModule } from '../schema/module.ts';
import { accountModule } from './account.ts';
import { dashboardsModule } from './dashboards.ts';
import { historyModule } from './history.ts';
import { EXPLORER_MODULES } from './explorer.ts';

export const API_MODULES: ApiModule[] = [platformModule, ...EXPLORER_MODULES, accountModule, historyModule, dashboardsModule];
