/** The alloc backend: lease only, no data path. */
export {};
