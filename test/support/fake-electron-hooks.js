// Module hooks that send `import 'electron'` to the fake (test/support/fake-electron.ts).
const fakeUrl = new URL('./fake-electron.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: fakeUrl, shortCircuit: true };
  return nextResolve(specifier, context);
}
