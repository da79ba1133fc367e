/** A message that breaks the protocol: the connection that sent it is closed with 1002. */
export class ProtocolError extends Error {}
