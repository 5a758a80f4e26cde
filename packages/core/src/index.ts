/** Network config, subnet math, leases and the contracts every flannel-ts package shares. */
export {};
