/** Read and write flannel's subnet.env file. */
export {};
