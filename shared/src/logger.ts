// One structured logger (pino) for every service; LOG_LEVEL sets how much it says.
import pino from 'pino';

export const logger = pino({
  name: process.env.SERVICE_NAME ?? 'orgapi',
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  redact: ['req.headers.authorization', 'password', '*.password', 'token', '*.token'],
});
