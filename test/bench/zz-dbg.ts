import { RealNetworkManager, GOOD_PROFILE } from '../support/real-nm';
const lab = new RealNetworkManager();
try {
  await lab.setup();
  const r = await lab.exec('sh', ['-c', `LW_DEBUG=1 timeout 60 ${process.execPath} --import tsx test/bench/nm-latency-child.ts '${GOOD_PROFILE}' 10`], 90_000);
  console.log(r.status, r.stdout.slice(0, 300));
  if (r.status !== 0) console.log(r.stderr.slice(-4000));
} finally { lab.teardown(); }
