/*
 * The limit for the Linux snapshot benchmark: C reading the same facts over the same rtnetlink dumps as
 * electron/core/platforms/linux (RTM_GETLINK with counters, RTM_GETADDR; name, mtu, flags, operstate,
 * kind, rx/tx bytes, addresses formatted with inet_ntop) for the tunnel links, on one reused socket.
 * Prints the median nanoseconds per snapshot and the number of tunnel links seen: "<ns> <links>".
 * Usage: netlink-baseline ITERATIONS   (built by test/bench/linux-snapshot.ts into test/fixtures/build/)
 */
#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_TUNNELS 256
struct link_facts {
  int index;
  char name[IFNAMSIZ];
  char kind[32];
  unsigned mtu, flags, operstate;
  uint64_t rx, tx;
  char addrs[4][INET6_ADDRSTRLEN + 5];
  int naddrs;
};

static struct link_facts links[MAX_TUNNELS];
static int nlinks;
static char buf[65536];
static unsigned seq;

static int is_tunnel(unsigned short type, const char *kind) {
  if (!strcmp(kind, "tun") || !strcmp(kind, "wireguard") || !strcmp(kind, "ppp") || !strcmp(kind, "gre")) return 1;
  return type == ARPHRD_NONE || type == ARPHRD_PPP || type == ARPHRD_TUNNEL || type == ARPHRD_IPGRE;
}

static struct link_facts *find(int index) {
  for (int i = 0; i < nlinks; i++)
    if (links[i].index == index) return &links[i];
  return NULL;
}

static void on_link(struct nlmsghdr *h) {
  struct ifinfomsg *ifi = NLMSG_DATA(h);
  struct link_facts f = {.index = ifi->ifi_index, .flags = ifi->ifi_flags};
  int len = IFLA_PAYLOAD(h);
  for (struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    switch (a->rta_type) {
    case IFLA_IFNAME: snprintf(f.name, sizeof f.name, "%s", (char *)RTA_DATA(a)); break;
    case IFLA_MTU: f.mtu = *(unsigned *)RTA_DATA(a); break;
    case IFLA_OPERSTATE: f.operstate = *(unsigned char *)RTA_DATA(a); break;
    case IFLA_STATS64: {
      struct rtnl_link_stats64 s;
      memcpy(&s, RTA_DATA(a), sizeof s);
      f.rx = s.rx_bytes;
      f.tx = s.tx_bytes;
      break;
    }
    case IFLA_LINKINFO: {
      int ilen = RTA_PAYLOAD(a);
      for (struct rtattr *i = RTA_DATA(a); RTA_OK(i, ilen); i = RTA_NEXT(i, ilen))
        if (i->rta_type == IFLA_INFO_KIND) snprintf(f.kind, sizeof f.kind, "%s", (char *)RTA_DATA(i));
      break;
    }
    }
  }
  if (!(ifi->ifi_flags & IFF_LOOPBACK) && is_tunnel(ifi->ifi_type, f.kind) && nlinks < MAX_TUNNELS) links[nlinks++] = f;
}

static void on_addr(struct nlmsghdr *h) {
  struct ifaddrmsg *ifa = NLMSG_DATA(h);
  struct link_facts *f = find(ifa->ifa_index);
  if (!f || f->naddrs >= 4) return;
  int len = IFA_PAYLOAD(h);
  void *addr = NULL;
  for (struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    if (a->rta_type == IFA_LOCAL) addr = RTA_DATA(a);
    else if (a->rta_type == IFA_ADDRESS && !addr) addr = RTA_DATA(a);
  }
  if (!addr) return;
  char text[INET6_ADDRSTRLEN];
  inet_ntop(ifa->ifa_family, addr, text, sizeof text);
  snprintf(f->addrs[f->naddrs++], sizeof f->addrs[0], "%s/%u", text, ifa->ifa_prefixlen);
}

static void dump(int fd, int type, void (*handle)(struct nlmsghdr *)) {
  struct {
    struct nlmsghdr h;
    union { struct ifinfomsg i; struct ifaddrmsg a; } body;
  } req = {0};
  req.h.nlmsg_len = NLMSG_LENGTH(type == RTM_GETLINK ? sizeof(struct ifinfomsg) : sizeof(struct ifaddrmsg));
  req.h.nlmsg_type = type;
  req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.h.nlmsg_seq = ++seq;
  if (send(fd, &req, req.h.nlmsg_len, 0) < 0) { perror("send"); exit(1); }
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) { perror("recv"); exit(1); }
    for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != seq) continue;
      if (h->nlmsg_type == NLMSG_DONE) return;
      if (h->nlmsg_type == NLMSG_ERROR) { fprintf(stderr, "netlink error\n"); exit(1); }
      handle(h);
    }
  }
}

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int cmp(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int iterations = argc > 1 ? atoi(argv[1]) : 1000;
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) { perror("netlink"); return 1; }
  long long *samples = calloc(iterations, sizeof *samples);
  for (int i = 0; i < iterations; i++) {
    long long t0 = now_ns();
    nlinks = 0;
    dump(fd, RTM_GETLINK, on_link);
    if (nlinks > 0) dump(fd, RTM_GETADDR, on_addr);
    samples[i] = now_ns() - t0;
  }
  qsort(samples, iterations, sizeof *samples, cmp);
  printf("%lld %d\n", samples[iterations / 2], nlinks);
  return 0;
}
