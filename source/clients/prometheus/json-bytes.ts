/** The bytes of JSON's structure, for the readers that scan Prometheus's answers as they arrive (result-splitter.ts, vector-text.ts). */
export const quote = 0x22;
export const backslash = 0x5c;
export const openObject = 0x7b;
export const closeObject = 0x7d;
export const openArray = 0x5b;
export const closeArray = 0x5d;
export const colon = 0x3a;
export const comma = 0x2c;
