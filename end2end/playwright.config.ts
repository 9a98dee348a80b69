import { defineConfig } from '@playwright/test';

// The real server (debug build from `cargo leptos build`) on a fresh SQLite file with the demo
// data, driven by Debian's Chromium. Nothing here downloads a browser. Beside it, two instances
// on one fresh PostgreSQL database (`instances.spec.ts`).
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
const instanceA = `http://127.0.0.1:${port + 1}`;
const instanceB = `http://127.0.0.1:${port + 2}`;
const postgres = process.env.E2E_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432';
const serverEnv = {
  BIZOPP_DEMO_DATA: 'true',
  LEPTOS_OUTPUT_NAME: 'bizopp',
  LEPTOS_SITE_ROOT: '../target/site',
  LEPTOS_SITE_PKG_DIR: 'pkg',
  LEPTOS_ENV: 'DEV',
  RUST_LOG: 'warn',
};
const instance = (address: string, first: boolean) => ({
  // The first starts on a new database (it migrates and seeds it); the second once it is up.
  command: first
    ? `PGOPTIONS='-c client_min_messages=warning' psql -qAt -h 127.0.0.1 -U postgres -d postgres -c 'DROP DATABASE IF EXISTS bizopp_e2e_instances WITH (FORCE)' && exec ../target/debug/server`
    : `until curl -sf ${instanceA}/healthz >/dev/null; do sleep 0.2; done; exec ../target/debug/server`,
  url: `${address}/healthz`,
  reuseExistingServer: false,
  timeout: 120_000,
  stdout: 'ignore' as const,
  stderr: 'pipe' as const,
  env: {
    ...serverEnv,
    DATABASE_URL: `${postgres}/bizopp_e2e_instances`,
    LEPTOS_SITE_ADDR: address.replace('http://', ''),
  },
});

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  use: {
    baseURL,
    locale: 'zh-CN',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  // The core stories run twice: as a user with JavaScript, and before/without the WASM.
  projects: [
    { name: 'js', use: { javaScriptEnabled: true } },
    { name: 'nojs', use: { javaScriptEnabled: false } },
  ],
  webServer: [
    {
      command: 'rm -rf .tmp && mkdir -p .tmp && exec ../target/debug/server',
      url: `${baseURL}/healthz`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        ...serverEnv,
        DATABASE_URL: 'sqlite://.tmp/e2e.db',
        LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
      },
    },
    instance(instanceA, true),
    instance(instanceB, false),
  ],
});
