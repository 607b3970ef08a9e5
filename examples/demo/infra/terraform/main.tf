variable "image_tag" {
  type    = string
  default = "2024.06.01"
}

resource "aws_ecr_repository" "api" {
  name                 = "demo-api"
  image_tag_mutability = "MUTABLE"
}

resource "aws_ecs_task_definition" "api" {
  family = "demo-api"
  container_definitions = jsonencode([{
    name    = "api"
    image   = "${aws_ecr_repository.api.repository_url}:${var.image_tag}"
    command = ["sh", "-c", "apt-get update && apt-get install -y jq && exec /app/api"]
  }])
}
