/** Samples this process's peak RSS and heap from now until `stop()` (one sample at each end). */
export function peakMemory(everyMs = 25): { stop(): { peakRssMb: number; peakHeapMb: number } } {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return { peakRssMb: rss / 2 ** 20, peakHeapMb: heap / 2 ** 20 };
    },
  };
}
