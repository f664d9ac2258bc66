import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loginItemProblem, willLaunchAtLogin } from '../../../electron/app-logic/login-item';

describe('login item: what the OS will really do', () => {
  it('Windows: disabled in Task Manager (Run value still there) means it will not start', () => {
    assert.equal(willLaunchAtLogin('win32', { openAtLogin: true, executableWillLaunchAtLogin: false }), false);
    assert.equal(willLaunchAtLogin('win32', { openAtLogin: true, executableWillLaunchAtLogin: true }), true);
    assert.equal(willLaunchAtLogin('win32', { openAtLogin: false, executableWillLaunchAtLogin: false }), false);
  });

  it('macOS 13+: only status "enabled" starts it; older macOS has no status and openAtLogin is the answer', () => {
    assert.equal(willLaunchAtLogin('darwin', { openAtLogin: true, status: 'enabled' }), true);
    for (const status of ['requires-approval', 'not-registered', 'not-found']) {
      assert.equal(willLaunchAtLogin('darwin', { openAtLogin: true, status }), false, status);
    }
    assert.equal(willLaunchAtLogin('darwin', { openAtLogin: true }), true);
  });

  it('after turning it on: no problem when the OS took it, else a reason the user can act on', () => {
    assert.equal(loginItemProblem('darwin', { openAtLogin: true, status: 'enabled' }), null);
    assert.equal(loginItemProblem('win32', { openAtLogin: true, executableWillLaunchAtLogin: true }), null);
    assert.match(loginItemProblem('darwin', { openAtLogin: false, status: 'not-registered' }) ?? '', /unsigned build cannot register itself/);
    assert.match(loginItemProblem('darwin', { openAtLogin: true, status: 'requires-approval' }) ?? '', /System Settings → General → Login Items/);
    assert.match(loginItemProblem('win32', { openAtLogin: true, executableWillLaunchAtLogin: false }) ?? '', /Task Manager → Startup apps/);
  });
});
