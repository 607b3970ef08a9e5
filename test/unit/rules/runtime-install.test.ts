// runtime-install: installs at container start (CMD, ENTRYPOINT, HEALTHCHECK, ECS, compose, scripts).
import { ruleTable } from './harness';

ruleTable('runtime-install', {
  valid: [
    { name: 'build-time RUN is the cure', file: 'Dockerfile', text: 'FROM python:3.12.1\nRUN pip install -r requirements.txt && apt-get update && apt-get install -y curl\nCMD ["python", "app.py"]\n' },
    { name: 'bundle exec is not an install', file: 'Dockerfile', text: 'FROM ruby:2.7.4\nCMD bundle exec rails s -b 0.0.0.0\n' },
    { name: 'npm run build / npm start', file: 'Dockerfile', text: 'FROM node:20.1.0\nCMD npm run build && npm start\n' },
    { name: 'RUN heredoc is build time', file: 'Dockerfile', text: 'FROM alpine:3.20.1\nRUN <<EOF\napk add curl\nEOF\nCMD ["sh"]\n' },
    { name: 'CMD of a builder stage that the final stage does not use', file: 'Dockerfile', text: 'FROM node:20.1.0 AS b\nCMD npm install\nFROM node:20.1.0\nCMD ["node", "s.js"]\n' },
    { name: 'overridden CMD', file: 'Dockerfile', text: 'FROM node:20.1.0\nCMD npm install && node s.js\nCMD ["node", "s.js"]\n' },
    { name: 'ECS command without installs', file: 'td.json', text: '{"containerDefinitions":[{"name":"a","image":"x:1.0.0","entryPoint":["sh","-c"],"command":["python app.py"]}]}' },
    { name: 'commented-out install in script-form CMD', file: 'Dockerfile', text: 'FROM node:20.1.0\n# CMD npm install\nCMD ["node","s.js"]\n' },
  ],
  invalid: [
    { name: 'shell-form CMD', file: 'Dockerfile', text: 'FROM node:20.1.0\nCMD npm install && node server.js\n', expect: [{ line: 2, text: 'npm install', message: 'npm' }] },
    { name: 'exec form sh -c', file: 'Dockerfile', text: 'FROM python:3.12.1\nCMD ["sh", "-c", "pip install flask && python app.py"]\n', expect: [{ line: 2, text: 'pip install flask' }] },
    { name: 'ENTRYPOINT with bash -lc and continuation', file: 'Dockerfile', text: "FROM ubuntu:24.04\nENTRYPOINT bash -lc 'apt-get update && \\\n  apt-get install -y curl && exec app'\n", expect: [{ line: 2, text: 'apt-get update' }, { line: 3, text: 'apt-get install -y curl' }] },
    { name: 'HEALTHCHECK installing', file: 'Dockerfile', text: 'FROM alpine:3.20.1\nHEALTHCHECK --interval=30s CMD apk add curl && curl -f http://localhost/ || exit 1\n', expect: [{ line: 2, text: 'apk add curl' }] },
    { name: 'escape directive with backtick continuation', file: 'Dockerfile', text: '# escape=`\nFROM python:3.12.1\nCMD pip install flask && `\n    python app.py\n', expect: [{ line: 3, text: 'pip install flask' }] },
    {
      name: 'ECS entryPoint + command',
      file: 'task-definition.json',
      text: '{\n  "containerDefinitions": [{\n    "name": "a", "image": "python:3.12.1",\n    "entryPoint": ["sh", "-c"],\n    "command": ["pip install flask && python app.py"]\n  }]\n}\n',
      expect: [{ line: 5, text: 'pip install flask' }],
    },
    { name: 'compose command', file: 'compose.yaml', text: 'services:\n  app:\n    image: node:18-alpine\n    command: sh -c "yarn install && yarn run dev"\n', expect: [{ line: 4, text: 'yarn install' }] },
    {
      name: 'COPY heredoc that writes the script CMD runs',
      file: 'Dockerfile',
      text: 'FROM alpine:3.20.1\nCOPY --chmod=755 <<EOF /start.sh\n#!/bin/sh\napk add curl\nexec app\nEOF\nCMD ["/start.sh"]\n',
      expect: [{ line: 4, text: 'apk add curl' }],
    },
    {
      name: 'RUN heredoc that writes the script ENTRYPOINT runs',
      file: 'Dockerfile',
      text: 'FROM python:3.12.1\nWORKDIR /app\nRUN <<EOF cat > /app/run.sh\npip install flask\nexec python app.py\nEOF\nENTRYPOINT ["sh", "./run.sh"]\n',
      expect: [{ line: 4, text: 'pip install flask' }],
    },
    {
      name: 'entrypoint script copied by the Dockerfile',
      file: 'docker/Dockerfile',
      text: 'FROM python:3.13.0-slim\nCOPY ./docker/startup.sh /\nENTRYPOINT ["/startup.sh"]\n',
      files: { 'docker/startup.sh': '#!/bin/bash\n\n/opt/venv/bin/pip install -r /app/requirements.txt\nexec python /app/main.py\n' },
      expect: [{ file: 'docker/startup.sh', line: 3, text: '/opt/venv/bin/pip install -r /app/requirements.txt', message: 'entrypoint script' }],
    },
  ],
});
