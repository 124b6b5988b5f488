import { defineConnector } from '../shared/define-connector.js';
import { checkConnection, createServiceNowClient } from './client.js';
import { ServiceNowConfig, ServiceNowSecret, serviceNowConfig } from './config.js';
import { agents } from './streams/agents.js';
import { asmtAssessmentInstance } from './streams/asmt-assessment-instance.js';
import { contractSla } from './streams/contract-sla.js';
import { incident } from './streams/incident.js';
import { kbKnowledge } from './streams/kb-knowledge.js';
import { serviceOffering } from './streams/service-offering.js';
import { sysUserGroup } from './streams/sys-user-group.js';
import { taskSla } from './streams/task-sla.js';

/** ServiceNow through the Table API: incidents, SLAs, knowledge, groups, agents, offerings, surveys. */
export const servicenow = defineConnector<ServiceNowConfig, ServiceNowSecret>({
  id: 'servicenow',
  configSchema: ServiceNowConfig,
  configSchemaFor: serviceNowConfig,
  secretSchema: ServiceNowSecret,
  createClient: createServiceNowClient,
  testConnection: checkConnection,
  streams: [
    incident,
    taskSla,
    contractSla,
    serviceOffering,
    kbKnowledge,
    sysUserGroup,
    agents,
    asmtAssessmentInstance,
  ],
});

export default servicenow;
