// Terraform templates: aws_ecr_repository (mutability literal, variable or absent), task definitions
// with jsonencode() containers and images from variables, locals or literals, plus surrounding resources.
import { digest, ecrImage, imageRef } from './images.mjs';

/** A Terraform file for one service. */
export function terraform(rng, service, blocks = rng.int(1, 3)) {
  const out = [`variable "image_tag" {`, '  type    = string', `  default = "${rng.pick(['latest', 'v1.2.3', 'main'])}"`, '}', '', 'locals {', `  name = "${service}"`, '}', ''];
  for (let b = 0; b < blocks; b++) {
    const id = `svc${b}`;
    if (rng.chance(0.6)) {
      out.push(`resource "aws_ecr_repository" "${id}" {`, `  name = "\${local.name}-${b}"`);
      const m = rng.next();
      if (m < 0.4) out.push('  image_tag_mutability = "MUTABLE"');
      else if (m < 0.8) out.push('  image_tag_mutability = "IMMUTABLE"');
      else if (m < 0.85) out.push('  image_tag_mutability = var.mutability');
      out.push('', '  image_scanning_configuration {', '    scan_on_push = true', '  }', '}', '');
    }
    const image = rng.pick([
      `"\${aws_ecr_repository.${id}.repository_url}:latest"`,
      `"\${aws_ecr_repository.${id}.repository_url}:\${var.image_tag}"`,
      JSON.stringify(ecrImage(rng, service)),
      JSON.stringify(imageRef(rng)),
      `"busybox@${digest(rng)}"`,
    ]);
    out.push(`resource "aws_ecs_task_definition" "${id}" {`, `  family                   = "\${local.name}-${b}"`, '  requires_compatibilities = ["FARGATE"]', '  network_mode             = "awsvpc"', '  cpu                      = 256', '  memory                   = 512');
    out.push('  container_definitions = jsonencode([', '    {', `      name      = "${service}"`, `      image     = ${image}`, '      essential = true');
    const r = rng.next();
    if (r < 0.1) out.push('      command   = ["sh", "-c", "npm install && npm start"]');
    else if (r < 0.4) out.push('      command   = ["./server", "--listen", ":8080"]');
    if (rng.chance(0.05)) out.push('      versionConsistency = "disabled"');
    out.push('      portMappings = [{ containerPort = 8080, hostPort = 8080 }]', '      environment = [');
    for (let i = 0; i < rng.int(1, 5); i++) out.push(`        { name = "KEY_${i}", value = "${rng.hex(6)}" },`);
    out.push('      ]', '    }', '  ])', '}', '');
    out.push(`resource "aws_ecs_service" "${id}" {`, `  name            = "\${local.name}-${b}"`, '  cluster         = var.cluster_id', `  task_definition = aws_ecs_task_definition.${id}.arn`, `  desired_count   = ${rng.int(1, 6)}`, '  launch_type     = "FARGATE"', '}', '');
  }
  return out.join('\n');
}
