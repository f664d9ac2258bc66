import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBridge, type RendererIpc } from '../../../electron/app-logic/bridge';
import { PUSH_CHANNELS, type LinkwatchBridge } from '../../../shared/ipc';

/** ipcRenderer's contract: invoke resolves with main's answer; listeners get (event, ...args). */
class FakeIpc implements RendererIpc {
  invoked: [string, unknown[]][] = [];
  listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  answer: (channel: string) => Promise<unknown> = async () => ({ ok: true, value: null });

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, args]);
    return this.answer(channel);
  }
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): this {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)?.add(listener);
    return this;
  }
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  emit(channel: string, payload: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) listener({ sender: 'the IPC event must not leak' }, payload);
  }
}

/** The bridge as the page sees it, with the types loosened to try what the page should not do. */
type LooseBridge = {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (payload: unknown) => void): () => void;
};

describe('preload bridge: window.linkwatch lets only the contract through', () => {
  it('exposes invoke and on, and nothing that reaches ipcRenderer', () => {
    const bridge = createBridge(new FakeIpc());
    assert.deepEqual(Object.keys(bridge).sort(), ['invoke', 'on']);
  });

  it('a request channel goes through with its arguments and answers main\'s result', async () => {
    const ipc = new FakeIpc();
    const bridge: LinkwatchBridge = createBridge(ipc);
    assert.deepEqual(await bridge.invoke('connections:hang-up', 'conn-1'), { ok: true, value: null });
    assert.deepEqual(ipc.invoked, [['connections:hang-up', ['conn-1']]]);
  });

  it('an unknown channel never reaches main and answers an error', async () => {
    const ipc = new FakeIpc();
    const bridge = createBridge(ipc) as unknown as LooseBridge;
    const result = await bridge.invoke('shell:open-external', 'https://example.com');
    assert.deepEqual(result, { ok: false, error: { code: 'EUNKNOWNCHANNEL', message: 'no such request channel: shell:open-external' } });
    assert.deepEqual(ipc.invoked, []);
    // A push channel is not a request channel.
    assert.equal(((await bridge.invoke('connections:update')) as { ok: boolean }).ok, false);
  });

  it('a main process without a handler (starting or quitting) still answers as data', async () => {
    const ipc = new FakeIpc();
    ipc.answer = () => Promise.reject(new Error("No handler registered for 'settings:get'"));
    const result = await createBridge(ipc).invoke('settings:get');
    assert.deepEqual(result, { ok: false, error: { code: 'EIPC', message: "No handler registered for 'settings:get'" } });
  });

  it('push listeners get the payload only, and unsubscribe', () => {
    const ipc = new FakeIpc();
    const bridge = createBridge(ipc);
    const seen: unknown[] = [];
    const off = bridge.on('popup:visibility', (visible) => seen.push(visible));
    ipc.emit('popup:visibility', true);
    off();
    ipc.emit('popup:visibility', false);
    assert.deepEqual(seen, [true]);
    assert.equal(ipc.listeners.get('popup:visibility')?.size, 0);
  });

  it('listening on a channel outside the contract is refused', () => {
    const bridge = createBridge(new FakeIpc()) as unknown as LooseBridge;
    assert.throws(() => bridge.on('ELECTRON_BROWSER_REQUIRE', () => {}), /no such push channel/);
    for (const channel of PUSH_CHANNELS) assert.doesNotThrow(() => bridge.on(channel, () => {})());
  });
});
