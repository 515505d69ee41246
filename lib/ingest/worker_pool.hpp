#pragma once
// A fixed set of threads draining a bounded job queue: submit() blocks while the queue is full, so
// a fast producer (the download loop) cannot pile up more work than the workers can hold.
#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace tiny::ingest {

class WorkerPool {
public:
  // Starts `threads` workers (at least 1) with room for `capacity` queued jobs (at least 1).
  WorkerPool(int threads, size_t capacity);
  // Finishes the queued jobs and joins the workers.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a job, waiting while the queue is full.
  void submit(std::function<void()> job);
  // Waits until every submitted job has run; rethrows the first exception a job threw.
  void wait();

private:
  void work();

  size_t capacity_, running_ = 0;
  bool stop_ = false;
  std::deque<std::function<void()>> queue_;
  std::mutex mutex_;
  std::condition_variable ready_, room_, idle_;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
};

}  // namespace tiny::ingest
