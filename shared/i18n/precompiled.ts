/**
 * The mark of a namespace precompiled by the popup's build (scripts/vite-precompile-messages.ts): its messages
 * are ASTs, or plain text where a message has no argument, plural or select (never ICU source to parse).
 */
export const PRECOMPILED = '__precompiled';
