/**
 * `npm start` takes the union of the three services' environments: every variable a service reads is either
 * handed to that service or refused with a reason — never silently ignored (it used to drop OPENAI_API_MODE,
 * RUNNER_GRACE_MS and the API rate limits).
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '@outrun/config';
import { ApiEnv } from '@outrun/api';
import { ListenerEnv } from '@outrun/listener';
import { RunnerEnv } from '@outrun/runner';
import { loadStartEnv, REFUSED_BY_START, serviceEnvs, StartEnv } from './env';

const services = { api: ApiEnv, listener: ListenerEnv, runner: RunnerEnv } as const;

describe('npm start environment', () => {
  it('knows every variable of every service: honoured (in its schema) or refused', () => {
    for (const schema of Object.values(services)) {
      for (const name of Object.keys(schema.shape)) {
        const honoured = name in StartEnv.shape;
        const refused = name in REFUSED_BY_START;
        expect(honoured !== refused, `${name}: honoured=${honoured} refused=${refused}`).toBe(true);
      }
    }
  });

  it('hands each honoured variable to the service that reads it', () => {
    const envs = serviceEnvs(loadStartEnv({
      OPENAI_API_MODE: 'chat_completions', RUNNER_GRACE_MS: '1234', RUNNER_RECONCILE_MS: '0', RUNNER_CONCURRENCY: '3',
      API_RATE_LIMIT_RPS: '7', API_RATE_LIMIT_BURST: '9', LISTENER_SCHEDULE_LEAD_MS: '0', OUTRUN_HTTP_ALLOW_LIST: '10.0.0.1, 10.0.0.2',
      OUTRUN_BIND_HOST: '127.0.0.2', WEB_PORT: '4100', API_PORT: '4101',
    }));
    expect(envs.runner).toMatchObject({ OPENAI_API_MODE: 'chat_completions', RUNNER_GRACE_MS: 1234, RUNNER_RECONCILE_MS: 0, RUNNER_CONCURRENCY: 3, OUTRUN_HTTP_ALLOW_LIST: ['10.0.0.1', '10.0.0.2'], RUNNER_HOST: '127.0.0.2' });
    expect(envs.api).toMatchObject({ API_RATE_LIMIT_RPS: 7, API_RATE_LIMIT_BURST: 9, API_HOST: '127.0.0.2', WEB_ORIGIN: 'http://localhost:4100', PUBLIC_BASE_URL: 'http://localhost:4101' });
    expect(envs.listener).toMatchObject({ LISTENER_SCHEDULE_LEAD_MS: 0, LISTENER_HOST: '127.0.0.2', LISTENER_PUBLIC_URL: 'http://localhost:4101' });
    // Each slice is a valid environment of its service (every key its schema defines, with its defaults).
    for (const [name, schema] of Object.entries(services)) {
      for (const key of Object.keys(schema.shape)) {
        if (schema.shape[key as keyof typeof schema.shape].safeParse(undefined).success && (envs[name as keyof typeof envs] as Record<string, unknown>)[key] === undefined) continue; // optional, unset
        expect(envs[name as keyof typeof envs], `${name}.${key}`).toHaveProperty(key);
      }
    }
  });

  it('refuses a variable that has no meaning in one process, naming what to use instead', () => {
    expect(() => loadStartEnv({ LISTENER_SERVICE_URL: 'http://listener:3006' })).toThrow(ConfigError);
    expect(() => loadStartEnv({ API_HOST: '0.0.0.0' })).toThrow(/API_HOST: npm start does not take it \(use OUTRUN_BIND_HOST/);
    expect(() => loadStartEnv({ RUNNER_GRACE_MS: 'soon' })).toThrow(ConfigError); // and a bad value is refused, not ignored
  });
});
