// UTF-8 bytes of a string (or of a value's JSON) for the devnet: one TextEncoder for the process, since constructing one per
// call showed up in the generation profile (issue 3).
const encoder = new TextEncoder();

export const utf8Bytes = (s: string): Uint8Array => encoder.encode(s);

/** JSON.stringify as UTF-8 bytes (messages and query answers the devnet builds from plain objects). */
export const jsonUtf8 = (o: unknown): Uint8Array => encoder.encode(JSON.stringify(o));

/** A value as cosmwasm's `to_json_binary` puts it in a message: its JSON's UTF-8 bytes in base64. */
export const jsonBase64 = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64');
