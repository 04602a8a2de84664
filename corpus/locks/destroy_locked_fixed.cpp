// conc-hazard: 16 mutex freed while locked, fixed: the session is deleted after the worker is done with it
// conc-expect-runtime: none
// conc-expect-lint: none
#include <cstdio>
#include <mutex>
#include <thread>

struct Session {
  std::mutex mu;
  int requests = 0;
};

int main() {
  Session* s = new Session;
  std::thread worker([s] {
    std::lock_guard<std::mutex> guard(s->mu);
    ++s->requests;
  });
  worker.join();
  std::printf("requests = %d\n", s->requests);
  delete s;
}
