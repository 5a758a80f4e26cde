/** rtnetlink over FFI (koffi): links, addresses, routes, neighbours, FDB, events, batching. */
export {};
