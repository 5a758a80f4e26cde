/*
 * A small forwarder of flannel's udp proxy design, written for flannel-ts's interop tests and benchmarks
 * (not flannel's code): one thread polls the TUN, the UDP socket and a control fd (stdin); when anything is
 * readable it alternates one TUN -> UDP and one UDP -> TUN packet until both would block. Per packet: one
 * read + one sendto, or one recv + one write. Routes are a linear list, a hit swapped to the front. TTL is
 * decremented on both sides with the RFC 1624 checksum update, the packet dropped at 0; a TUN packet with
 * no route gets ICMP destination-unreachable / net-unreachable (TTL 8, from the TUN address) written back
 * into the TUN, except for ICMP packets and non-first fragments. Buffers are MTU bytes.
 *
 * usage: c-forwarder <tun name> <tun address> <mtu> <bind address> <port> [socket buffer bytes]
 * control lines on stdin: "set <net>/<len> <next hop>", "del <net>/<len>", "stats"; EOF or "stop" stops.
 * It creates the TUN itself (IFF_TUN|IFF_NO_PI); addresses and routes are the caller's (`ip`).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

struct route { uint32_t net, mask; struct sockaddr_in hop; };

static struct route *routes;
static size_t nroutes, cap;
static uint32_t tun_addr; /* network order */
static unsigned long stat_tun, stat_sent, stat_recv, stat_written, stat_noroute, stat_dropped;

static uint16_t checksum(const uint8_t *p, size_t n) {
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2) sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1) sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* TTL - 1 and HC' = ~(~HC + ~m + m') over the TTL/protocol word (RFC 1624 eqn. 3). 0: expired, drop. */
static int ttl_down(uint8_t *ip) {
	if (ip[8] <= 1) return 0;
	uint32_t hc = (uint32_t)ip[10] << 8 | ip[11];
	uint32_t m = (uint32_t)ip[8] << 8 | ip[9];
	uint32_t sum = (~hc & 0xffff) + (~m & 0xffff) + (m - 0x100);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	uint16_t out = (uint16_t)~sum;
	ip[8]--;
	ip[10] = out >> 8;
	ip[11] = out & 0xff;
	return 1;
}

static struct sockaddr_in *lookup(uint32_t dst) {
	for (size_t i = 0; i < nroutes; i++) {
		if ((dst & routes[i].mask) != routes[i].net) continue;
		if (i) { struct route t = routes[i]; routes[i] = routes[0]; routes[0] = t; }
		return &routes[0].hop;
	}
	return NULL;
}

static void set_route(uint32_t net, uint32_t mask, struct sockaddr_in hop) {
	for (size_t i = 0; i < nroutes; i++)
		if (routes[i].net == net && routes[i].mask == mask) { routes[i].hop = hop; return; }
	if (nroutes == cap) { cap = cap ? cap * 2 : 8; routes = realloc(routes, cap * sizeof *routes); if (!routes) exit(3); }
	routes[nroutes++] = (struct route){ net, mask, hop };
}

static void del_route(uint32_t net, uint32_t mask) {
	for (size_t i = 0; i < nroutes; i++)
		if (routes[i].net == net && routes[i].mask == mask) { routes[i] = routes[--nroutes]; return; }
}

static void write_tun(int tun, const uint8_t *p, size_t n) {
	for (int tries = 0; tries < 64; tries++) {
		if (write(tun, p, n) >= 0) { stat_written++; return; }
		if (errno != EAGAIN) break;
	}
	stat_dropped++;
}

static void net_unreachable(int tun, const uint8_t *off, size_t n) {
	size_t hl = (size_t)(off[0] & 0x0f) * 4;
	if (hl < 20 || hl > 60 || off[9] == IPPROTO_ICMP) return;
	if (((off[6] << 8 | off[7]) & 0x1fff) != 0) return;
	uint8_t pkt[20 + 8 + 60 + 8];
	size_t quoted = hl + 8, total = 28 + quoted;
	memset(pkt, 0, sizeof pkt);
	pkt[0] = 0x45; pkt[2] = total >> 8; pkt[3] = total & 0xff; pkt[8] = 8; pkt[9] = IPPROTO_ICMP;
	memcpy(pkt + 12, &tun_addr, 4);
	memcpy(pkt + 16, off + 12, 4);
	uint16_t c = checksum(pkt, 20); pkt[10] = c >> 8; pkt[11] = c & 0xff;
	pkt[20] = 3; pkt[21] = 0;
	memcpy(pkt + 28, off, quoted < n ? quoted : n);
	c = checksum(pkt + 20, 8 + quoted); pkt[22] = c >> 8; pkt[23] = c & 0xff;
	write_tun(tun, pkt, total);
}

static int tun_to_udp(int tun, int sock, uint8_t *buf, size_t mtu) {
	ssize_t n = read(tun, buf, mtu);
	if (n < 0) return 0;
	stat_tun++;
	if (n < 20) { stat_dropped++; return 1; }
	uint32_t dst; memcpy(&dst, buf + 16, 4);
	struct sockaddr_in *hop = lookup(dst);
	if (!hop) { stat_noroute++; net_unreachable(tun, buf, (size_t)n); return 1; }
	if (!ttl_down(buf)) { stat_dropped++; return 1; }
	if (sendto(sock, buf, (size_t)n, 0, (struct sockaddr *)hop, sizeof *hop) < 0) stat_dropped++; else stat_sent++;
	return 1;
}

static int udp_to_tun(int sock, int tun, uint8_t *buf, size_t mtu) {
	ssize_t n = recv(sock, buf, mtu, MSG_DONTWAIT | MSG_TRUNC);
	if (n < 0) return 0;
	stat_recv++;
	if (n < 20 || (size_t)n > mtu || !ttl_down(buf)) { stat_dropped++; return 1; }
	write_tun(tun, buf, (size_t)n);
	return 1;
}

/* One control line; returns 0 on stop. */
static int control(char *line, uint16_t port) {
	char cidr[64], hop[64];
	if (strncmp(line, "stop", 4) == 0) return 0;
	if (strncmp(line, "stats", 5) == 0) {
		printf("stats tun=%lu sent=%lu recv=%lu written=%lu noroute=%lu dropped=%lu\n", stat_tun, stat_sent, stat_recv, stat_written, stat_noroute, stat_dropped);
		fflush(stdout);
		return 1;
	}
	int set = sscanf(line, "set %63s %63s", cidr, hop) == 2;
	if (!set && sscanf(line, "del %63s", cidr) != 1) { fprintf(stderr, "bad control line: %s\n", line); return 1; }
	char *slash = strchr(cidr, '/');
	int len = slash ? atoi(slash + 1) : 32;
	if (slash) *slash = 0;
	struct in_addr net;
	if (inet_pton(AF_INET, cidr, &net) != 1 || len < 0 || len > 32) { fprintf(stderr, "bad network: %s\n", line); return 1; }
	uint32_t mask = len ? htonl(0xffffffffu << (32 - len)) : 0;
	if (!set) { del_route(net.s_addr & mask, mask); return 1; }
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	if (inet_pton(AF_INET, hop, &sa.sin_addr) != 1) { fprintf(stderr, "bad next hop: %s\n", line); return 1; }
	set_route(net.s_addr & mask, mask, sa);
	printf("ok\n");
	fflush(stdout);
	return 1;
}

int main(int argc, char **argv) {
	if (argc != 6 && argc != 7) { fprintf(stderr, "usage: %s <tun name> <tun address> <mtu> <bind address> <port> [socket buffer bytes]\n", argv[0]); return 2; }
	size_t mtu = (size_t)atoi(argv[3]);
	uint16_t port = (uint16_t)atoi(argv[5]);
	if (inet_pton(AF_INET, argv[2], &tun_addr) != 1 || mtu < 68) { fprintf(stderr, "bad tun address or mtu\n"); return 2; }

	int tun = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	struct ifreq ifr;
	memset(&ifr, 0, sizeof ifr);
	strncpy(ifr.ifr_name, argv[1], IFNAMSIZ - 1);
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	if (tun < 0 || ioctl(tun, TUNSETIFF, &ifr) < 0) { perror("tun"); return 1; }

	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int bufsize = argc == 7 ? atoi(argv[6]) : 0; /* 0: the kernel default, as flannel */
	if (bufsize > 0) {
		setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &bufsize, sizeof bufsize);
		setsockopt(sock, SOL_SOCKET, SO_SNDBUFFORCE, &bufsize, sizeof bufsize);
	}
	struct sockaddr_in local = { .sin_family = AF_INET, .sin_port = htons(port) };
	if (inet_pton(AF_INET, argv[4], &local.sin_addr) != 1 || sock < 0 || bind(sock, (struct sockaddr *)&local, sizeof local) < 0) { perror("socket"); return 1; }
	printf("ready %s\n", ifr.ifr_name);
	fflush(stdout);

	uint8_t *buf = malloc(mtu);
	char pending[4096];
	size_t have = 0;
	int running = 1;
	struct pollfd fds[3] = { { tun, POLLIN, 0 }, { sock, POLLIN, 0 }, { 0, POLLIN, 0 } };
	while (running) {
		if (poll(fds, 3, -1) < 0) { if (errno == EINTR) continue; perror("poll"); return 1; }
		if (fds[2].revents) {
			ssize_t got = read(0, pending + have, sizeof pending - 1 - have);
			if (got <= 0) break;
			have += (size_t)got;
			pending[have] = 0;
			char *start = pending, *end;
			while (running && (end = strchr(start, '\n')) != NULL) {
				*end = 0;
				running = control(start, port);
				start = end + 1;
			}
			have = (size_t)(pending + have - start);
			memmove(pending, start, have);
			if (!running) break;
		}
		int active = 1;
		while (active) active = tun_to_udp(tun, sock, buf, mtu) | udp_to_tun(sock, tun, buf, mtu);
	}
	close(sock);
	close(tun);
	return 0;
}
