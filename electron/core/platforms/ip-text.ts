/**
 * Address bytes as text, the way inet_ntop prints them: the kernel hands Linux (rtnetlink) and macOS
 * (sockaddr) addresses as raw network-order bytes, and both backends show them the same way.
 */

/** Dotted quad of the first four bytes. */
export function ipv4Text(raw: Uint8Array): string {
  return `${raw[0]}.${raw[1]}.${raw[2]}.${raw[3]}`;
}

/** RFC 5952: lowercase, no leading zeros, the longest run of two or more zero groups compressed (first wins),
 * and an IPv4-mapped address with its dotted tail (::ffff:192.0.2.1). Reads the first sixteen bytes. */
export function ipv6Text(raw: Buffer): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(raw.readUInt16BE(i * 2));
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) return `::ffff:${ipv4Text(raw.subarray(12, 16))}`;
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
