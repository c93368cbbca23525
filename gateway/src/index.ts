// Starts the gateway process, and exports what tests need to start it in-process.
import { runService } from '@orgapi/shared';
import { gatewayEnv } from './config';
import { startGateway } from './gateway';

export { gatewayEnv, type GatewayConfig } from './config';
export { startGateway, type GatewayContext } from './gateway';

if (require.main === module) runService('gateway', gatewayEnv, startGateway);
