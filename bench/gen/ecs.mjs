// ECS task-definition JSON templates: one to four containers, ECR and public images, commands and
// entry points (some installing at start), health checks, secrets, and versionConsistency.
import { digest, ecrImage, imageRef } from './images.mjs';

function container(rng, service, i) {
  const c = { name: i === 0 ? service : rng.pick(['log-router', 'envoy', 'datadog-agent', 'otel-collector', 'nginx']) };
  c.image = i === 0 ? ecrImage(rng, service) : rng.chance(0.3) ? `public.ecr.aws/aws-observability/aws-for-fluent-bit@${digest(rng)}` : imageRef(rng);
  if (rng.chance(0.1)) c.image = '${IMAGE_URI}';
  c.essential = i === 0;
  c.cpu = rng.pick([0, 128, 256, 512]);
  c.memoryReservation = rng.pick([128, 256, 512, 1024]);
  c.portMappings = [{ containerPort: rng.pick([80, 3000, 8080]), protocol: 'tcp' }];
  const r = rng.next();
  if (r < 0.08) c.command = ['sh', '-c', `pip install -r requirements.txt && python -m ${service.split('-')[0]}`];
  else if (r < 0.12) {
    c.entryPoint = ['sh', '-c'];
    c.command = ['apt-get update && apt-get install -y curl && ./start.sh'];
  }
  else if (r < 0.5) c.command = [rng.pick(['node', 'python', './bin/server']), rng.pick(['server.js', '-m', '--port=8080'])];
  if (rng.chance(0.4)) c.healthCheck = { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: 30, timeout: 5, retries: 3 };
  c.environment = Array.from({ length: rng.int(0, 8) }, (_, k) => ({ name: `VAR_${k}`, value: rng.hex(rng.int(4, 16)) }));
  if (rng.chance(0.5)) c.secrets = [{ name: 'DB_PASSWORD', valueFrom: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${service}-${rng.hex(6)}` }];
  c.logConfiguration = { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${service}`, 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } };
  if (rng.chance(0.05)) c.versionConsistency = 'disabled';
  return c;
}

/** A task definition, plain or wrapped in `{ "taskDefinition": … }` as `describe-task-definition` prints it. */
export function taskDefinition(rng, service) {
  const td = {
    family: service,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: String(rng.pick([256, 512, 1024, 2048])),
    memory: String(rng.pick([512, 1024, 2048, 4096])),
    executionRoleArn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
    containerDefinitions: Array.from({ length: rng.pick([1, 1, 1, 2, 2, 3, 4]) }, (_, i) => container(rng, service, i)),
  };
  const doc = rng.chance(0.15) ? { taskDefinition: td } : td;
  return JSON.stringify(doc, null, rng.pick([2, 2, 4, '\t'])) + '\n';
}
