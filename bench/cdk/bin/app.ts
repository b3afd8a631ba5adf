#!/usr/bin/env node
// The seed's CDK app (bin/app.ts there): one OrchestrationStack per environment, `-c env=prod`.
import { App } from 'aws-cdk-lib';
import { getConfig } from '../lib/env-config';
import { OrchestrationStack } from '../lib/orchestration-stack';

const app = new App();
const envName: string = app.node.tryGetContext('env') ?? 'dev';
const config = getConfig(envName);
// Environment-agnostic, like the reference template (ARNs use AWS::Partition/Region/AccountId).
new OrchestrationStack(app, `OrchestrationStack-${envName}`, { config });
app.synth();
