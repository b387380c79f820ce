// UTF-8 bytes of a string for the devnet: one TextEncoder for the process, since constructing one per
// call showed up in the generation profile (issue 3).
const encoder = new TextEncoder();

export const utf8Bytes = (s: string): Uint8Array => encoder.encode(s);
