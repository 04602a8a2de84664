// conc-hazard: 37 future never waited / exception lost: a promise broken on the worker's error path
// conc-expect-runtime: none
// conc-expect-lint: none
// The worker returns early without setting its promise; the caller's get() then throws
// std::future_error(broken_promise) instead of receiving the error the worker met. No report kind covers it.
#include <cstdio>
#include <future>
#include <thread>

void parse(int input, std::promise<int> result) {
  if (input < 0) return;  // error path: the promise is destroyed unset
  result.set_value(input * 2);
}

int main() {
  std::promise<int> promise;
  std::future<int> value = promise.get_future();
  std::thread worker(parse, -1, std::move(promise));
  try {
    std::printf("value = %d\n", value.get());
  } catch (const std::future_error& error) {
    std::printf("lost the worker's error: %s\n", error.what());
  }
  worker.join();
}
