import { align4, need, viewOf } from './codec.js';
import { decodeAttributes, attributeMap } from './attributes.js';
import { NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLM_F_ACK_TLVS, NLM_F_CAPPED } from './constants-netlink.js';
import { MESSAGE_HEADER_LENGTH, messageHeader, type MessageHeader } from './header.js';
import { readString, readU32 } from './values.js';

/** One netlink message: its header and the payload after it (family header + attributes). */
export interface Message {
  readonly header: MessageHeader;
  /** Exactly `nlmsg_len - 16` bytes (a view into the datagram). */
  readonly payload: Uint8Array;
}

/**
 * Splits a datagram into its messages. Throws `RangeError` when a header is truncated or `nlmsg_len` is shorter
 * than the header or runs past the datagram.
 */
export function decodeMessages(datagram: Uint8Array): Message[] {
  const messages: Message[] = [];
  let at = 0;
  while (at < datagram.byteLength) {
    const { value: header } = messageHeader.decode(datagram, at);
    if (header.length < MESSAGE_HEADER_LENGTH) {
      throw new RangeError(`nlmsghdr at offset ${at}: nlmsg_len ${header.length} is shorter than the header`);
    }
    need(datagram, at, header.length, `netlink message type ${header.type} seq ${header.seq}`);
    messages.push({ header, payload: datagram.subarray(at + MESSAGE_HEADER_LENGTH, at + header.length) });
    at += align4(header.length);
  }
  return messages;
}

/** `struct nlmsgerr` and its extended ack: the kernel's answer to a request with `NLM_F_ACK`, or its refusal. */
export interface ErrorMessage {
  /** `error`: 0 for an ACK, else a negative errno. */
  readonly error: number;
  /** The header of the request this answers. */
  readonly request: MessageHeader;
  /** `NLMSGERR_ATTR_MSG`: the kernel's explanation, when it gave one. */
  readonly message?: string;
  /** `NLMSGERR_ATTR_OFFS`: byte offset of the offending attribute in the request. */
  readonly attributeOffset?: number;
}

/**
 * Decodes the payload of an `NLMSG_ERROR` message. `flags` is that message's `nlmsg_flags`: `NLM_F_CAPPED` says
 * the request payload was left out, `NLM_F_ACK_TLVS` that extended-ack attributes follow.
 */
export function decodeErrorMessage(payload: Uint8Array, flags: number): ErrorMessage {
  need(payload, 0, 4 + MESSAGE_HEADER_LENGTH, 'nlmsgerr');
  const error = viewOf(payload).getInt32(0, true);
  const { value: request } = messageHeader.decode(payload, 4);
  if ((flags & NLM_F_ACK_TLVS) === 0) return { error, request };
  const tlvStart = 4 + ((flags & NLM_F_CAPPED) !== 0 ? MESSAGE_HEADER_LENGTH : align4(request.length));
  if (tlvStart > payload.byteLength) throw new RangeError(`nlmsgerr: extended ack starts at ${tlvStart}, past the ${payload.byteLength}-byte payload`);
  const tlvs = attributeMap(decodeAttributes(payload, tlvStart));
  const text = tlvs.get(NLMSGERR_ATTR_MSG);
  const offset = tlvs.get(NLMSGERR_ATTR_OFFS);
  return {
    error,
    request,
    ...(text ? { message: readString(text) } : {}),
    ...(offset ? { attributeOffset: readU32(offset) } : {}),
  };
}
