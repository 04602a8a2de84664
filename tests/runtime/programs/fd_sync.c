// Messages through descriptors order the sender before the receiver.
// `silent`: race-free hand-offs through a pipe, pipe2, socketpair, eventfd, a
// UNIX stream socket and a dup'ed pipe end. `racy`: the writer touches the
// data after sending it. `reuse`: a closed pipe's descriptor numbers come
// back in a new pipe, which must not carry the old pipe's ordering.
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int payload[4];
static int send_fd, recv_fd;

static void must(int ok, const char *what) {
  if (!ok) {
    perror(what);
    exit(2);
  }
}

static void *sender(void *arg) {
  (void)arg;
  for (int i = 0; i < 4; ++i) payload[i] = i + 1;
  char byte = 'x';
  must(write(send_fd, &byte, 1) == 1, "write");
  return NULL;
}

static void *eventfd_sender(void *arg) {
  (void)arg;
  for (int i = 0; i < 4; ++i) payload[i] = i + 1;
  must(eventfd_write(send_fd, 1) == 0, "eventfd_write");
  return NULL;
}

static int received_sum(void) {
  char byte;
  must(read(recv_fd, &byte, 1) == 1, "read");
  return payload[0] + payload[1] + payload[2] + payload[3];
}

// One hand-off from a new thread to this one through send_fd -> recv_fd.
static int hand_off(void *(*routine)(void *)) {
  pthread_t t;
  pthread_create(&t, NULL, routine, NULL);
  int sum;
  if (routine == eventfd_sender) {
    eventfd_t value;
    must(eventfd_read(recv_fd, &value) == 0, "eventfd_read");
    sum = payload[0] + payload[1] + payload[2] + payload[3];
  } else {
    sum = received_sum();
  }
  pthread_join(t, NULL);
  memset(payload, 0, sizeof payload);  // ordered by the join
  return sum;
}

static void *unix_client(void *arg) {
  const struct sockaddr_un *addr = arg;
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  must(fd >= 0 && connect(fd, (const struct sockaddr *)addr, sizeof *addr) == 0, "connect");
  for (int i = 0; i < 4; ++i) payload[i] = i + 1;
  must(send(fd, "x", 1, 0) == 1, "send");
  close(fd);
  return NULL;
}

static int unix_socket_hand_off(void) {
  struct sockaddr_un addr = {.sun_family = AF_UNIX};
  snprintf(addr.sun_path + 1, sizeof addr.sun_path - 1, "conc-fd-sync-%d", (int)getpid());  // abstract
  int listener = socket(AF_UNIX, SOCK_STREAM, 0);
  must(listener >= 0 && bind(listener, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(listener, 1) == 0,
       "listen");
  pthread_t t;
  pthread_create(&t, NULL, unix_client, &addr);
  int fd = accept(listener, NULL, NULL);
  must(fd >= 0, "accept");
  char byte;
  must(recv(fd, &byte, 1, 0) == 1, "recv");
  int sum = payload[0] + payload[1] + payload[2] + payload[3];
  pthread_join(t, NULL);
  close(fd);
  close(listener);
  memset(payload, 0, sizeof payload);
  return sum;
}

static int silent(void) {
  int fds[2], sum = 0;
  must(pipe(fds) == 0, "pipe");
  recv_fd = fds[0], send_fd = fds[1];
  sum += hand_off(sender);
  send_fd = dup(fds[1]);  // a duplicate of the write end
  sum += hand_off(sender);
  must(dup2(fds[0], 40) == 40, "dup2");  // and of the read end
  recv_fd = 40;
  sum += hand_off(sender);
  send_fd = fcntl(fds[1], F_DUPFD_CLOEXEC, 50);
  sum += hand_off(sender);
  close(fds[0]), close(fds[1]), close(40), close(send_fd);

  must(pipe2(fds, O_CLOEXEC) == 0, "pipe2");
  recv_fd = fds[0], send_fd = fds[1];
  sum += hand_off(sender);
  close(fds[0]), close(fds[1]);

  must(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0, "socketpair");
  send_fd = fds[0], recv_fd = fds[1];  // either end writes
  sum += hand_off(sender);
  close(fds[0]), close(fds[1]);

  recv_fd = send_fd = eventfd(0, 0);
  sum += hand_off(eventfd_sender);
  close(recv_fd);

  sum += unix_socket_hand_off();
  return sum == 8 * 10 ? 0 : 1;
}

static void *racy_sender(void *arg) {
  (void)arg;
  payload[0] = 1;
  char byte = 'x';
  must(write(send_fd, &byte, 1) == 1, "write");
  payload[1] = 2;  // RACE-LINE: after the message left
  return NULL;
}

static int racy(void) {
  int fds[2];
  must(pipe(fds) == 0, "pipe");
  recv_fd = fds[0], send_fd = fds[1];
  pthread_t t;
  pthread_create(&t, NULL, racy_sender, NULL);
  int sum = received_sum();
  pthread_join(t, NULL);
  return sum > 0 ? 0 : 1;
}

static void *old_pipe_writer(void *arg) {
  (void)arg;
  payload[0] = 5;  // REUSE-WRITE-LINE
  char byte = 'x';
  must(write(send_fd, &byte, 1) == 1, "write");
  return NULL;
}

static void *new_pipe_reader(void *arg) {
  (void)arg;
  char byte;
  must(read(recv_fd, &byte, 1) == 1, "read");
  return (void *)(long)payload[0];  // REUSE-READ-LINE: nothing orders the old pipe's writer before this
}

static int reuse(void) {
  int fds[2];
  must(pipe(fds) == 0, "pipe");
  recv_fd = fds[0], send_fd = fds[1];
  pthread_t writer, reader;
  pthread_create(&writer, NULL, old_pipe_writer, NULL);
  usleep(200 * 1000);  // the writer is done (no happens-before: sleeping is not synchronization)
  close(fds[0]), close(fds[1]);
  int again[2];
  must(pipe(again) == 0 && again[0] == fds[0] && again[1] == fds[1], "pipe reusing the numbers");
  pthread_create(&reader, NULL, new_pipe_reader, NULL);
  must(write(again[1], "y", 1) == 1, "write");
  pthread_join(reader, NULL);
  pthread_join(writer, NULL);
  return 0;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "silent";
  int rc = strcmp(mode, "racy") == 0 ? racy() : strcmp(mode, "reuse") == 0 ? reuse() : silent();
  printf("%s: %s\n", mode, rc == 0 ? "ok" : "wrong");
  return rc;
}
