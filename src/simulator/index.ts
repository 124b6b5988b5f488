export {
  demoCredentials,
  startZendeskSimulator,
  type FaultKind,
  type SimulatorOptions,
  type SimulatorStats,
  type ZendeskSimulator,
} from './zendesk-server.js';
export { buildZendeskData, toZendeskData, type ZendeskData } from './zendesk-data.js';
