import { defer, finalize, type Observable } from 'rxjs';

/**
 * An Observable of I/O that is aborted when it ends or is unsubscribed: each subscription gets its own signal, and
 * aborting it is how an unsubscribe reaches the socket.
 */
export function abortable<T>(open: (signal: AbortSignal) => Observable<T>): Observable<T> {
  return defer(() => {
    const controller = new AbortController();
    return open(controller.signal).pipe(finalize(() => controller.abort()));
  });
}
