// The seed's EnvConfig (cdk/lib/config/env-config.ts), the fields the orchestration stack reads.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';

export interface EnvConfig {
  envName: string;
  logRetentionDays: logs.RetentionDays;
  removalPolicy: { logGroups: RemovalPolicy };
  orchestration: { enabled: boolean; scheduleExpression: string; batchScriptPath: string };
}

const configs: Record<string, EnvConfig> = {
  dev: {
    envName: 'dev',
    logRetentionDays: logs.RetentionDays.ONE_WEEK,
    removalPolicy: { logGroups: RemovalPolicy.DESTROY },
    orchestration: {
      enabled: false,
      scheduleExpression: 'cron(0 17 * * ? *)',
      batchScriptPath: '/app/batch/sample_batch.py',
    },
  },
  prod: {
    envName: 'prod',
    logRetentionDays: logs.RetentionDays.ONE_MONTH,
    removalPolicy: { logGroups: RemovalPolicy.RETAIN },
    orchestration: {
      enabled: true,
      scheduleExpression: 'cron(0 17 * * ? *)', // 02:00 JST
      batchScriptPath: '/app/batch/sample_batch.py',
    },
  },
};

export function getConfig(envName: string): EnvConfig {
  const c = configs[envName];
  if (!c) throw new Error(`unknown env '${envName}' (dev or prod)`);
  return c;
}
