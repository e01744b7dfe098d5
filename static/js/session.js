// One console's websocket session: join, resume from the last seq after any drop (exponential
// backoff), drop duplicate events by seq, and send commands with a client-made id that are resent
// with the same id until the server answers (the server applies an id once).
//
// Events whose seq is ≤ hello.last_seq are already reflected in hello's snapshot: they are delivered
// with `history: true` so views can list them without applying them to the state again.

const PROTOCOL = 1;
const RETRY_COMMAND_MS = 4000;
const FIRST_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 30000;
const SILENCE_PING_MS = 40000;
const SILENCE_DROP_MS = 60000;

/** Close codes after which reconnecting cannot help (see CloseCode in app/realtime/protocol.py). */
export const FATAL_CLOSE_CODES = new Set([4400, 4401, 4403, 4404, 4409, 4426]);

/** `bytes` random bytes as hex; also the id of an anonymous hot-wash answer, which must not be traceable. */
export function randomHex(bytes) {
  const values = new Uint8Array(bytes);
  crypto.getRandomValues(values); // works on plain http too, unlike crypto.randomUUID
  return Array.from(values, (value) => value.toString(16).padStart(2, '0')).join('');
}

export class Session {
  /**
   * @param {string} path  websocket path, e.g. /ws/exercises/ex_1
   * @param {object} credentials  {token} or {secret}
   */
  constructor(path, credentials) {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.url = `${scheme}//${location.host}${path}`;
    this.credentials = credentials;
    this.listeners = new Map();
    this.socket = null;
    this.state = 'idle'; // idle | connecting | open | reconnecting | failed
    this.lastSeq = 0;
    this.helloLastSeq = 0;
    this.live = false;
    this.attempts = 0;
    this.retryTimer = null;
    this.nextRetryAt = null;
    this.lastMessageAt = 0;
    this.pending = new Map();
    this.idPrefix = randomHex(6);
    this.counter = 0;
    this.duplicates = 0;
    this.fatal = null;
    this.ticker = setInterval(() => this.tick(), 1000);
    this.onOnline = () => {
      if (this.state === 'reconnecting') this.reconnectNow();
    };
    window.addEventListener('online', this.onOnline);
  }

  on(type, listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type).add(listener);
    return () => this.listeners.get(type).delete(listener);
  }

  emit(type, ...args) {
    for (const listener of this.listeners.get(type) || []) {
      try {
        listener(...args);
      } catch (error) {
        console.error(`listener for ${type} failed`, error);
      }
    }
  }

  setState(state) {
    this.state = state;
    this.emit('state', state);
  }

  start() {
    this.connect();
  }

  connect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.nextRetryAt = null;
    this.live = false;
    this.setState(this.attempts ? 'reconnecting' : 'connecting');
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      this.lastMessageAt = Date.now();
      socket.send(JSON.stringify({ type: 'join', protocol: PROTOCOL, last_seq: this.lastSeq, ...this.credentials }));
    });
    socket.addEventListener('message', (message) => {
      if (socket !== this.socket) return;
      this.lastMessageAt = Date.now();
      let data;
      try {
        data = JSON.parse(message.data);
      } catch {
        return;
      }
      this.receive(data);
    });
    socket.addEventListener('close', (closed) => {
      if (socket !== this.socket) return;
      this.socket = null;
      this.live = false;
      if (FATAL_CLOSE_CODES.has(closed.code)) {
        this.fatal = { code: closed.code, reason: closed.reason };
        this.setState('failed');
        this.emit('fatal', this.fatal);
        for (const entry of this.pending.values()) entry.reject({ code: 'disconnected', message: closed.reason });
        this.pending.clear();
        return;
      }
      this.scheduleReconnect();
    });
  }

  scheduleReconnect() {
    const base = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** this.attempts);
    const delay = Math.round(base * (0.8 + Math.random() * 0.4)); // jitter: consoles do not return in lockstep
    this.attempts += 1;
    this.nextRetryAt = Date.now() + delay;
    this.setState('reconnecting');
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** Try again at once (the "Reconnect now" button, or the browser coming back online). */
  reconnectNow() {
    if (this.state === 'failed' || this.state === 'open' || this.socket) return;
    this.connect();
  }

  receive(data) {
    switch (data.type) {
      case 'hello':
        this.helloLastSeq = data.last_seq;
        this.attempts = 0;
        this.setState('open');
        this.emit('hello', data);
        for (const entry of this.pending.values()) this.transmit(entry);
        break;
      case 'event': {
        const event = data.event;
        if (event.seq <= this.lastSeq) {
          this.duplicates += 1;
          return;
        }
        this.lastSeq = event.seq;
        this.emit('event', event, { history: event.seq <= this.helloLastSeq, live: this.live });
        break;
      }
      case 'live':
        this.live = true;
        this.emit('live', data);
        break;
      case 'ack':
      case 'error': {
        const entry = data.id ? this.pending.get(data.id) : null;
        if (entry) {
          this.pending.delete(data.id);
          if (data.type === 'ack') entry.resolve(data);
          else entry.reject({ code: data.code, message: data.message });
        } else if (data.type === 'error') {
          this.emit('notice', data);
        }
        break;
      }
      case 'heartbeat':
        this.emit('heartbeat', data);
        break;
      case 'scores':
        this.emit('scores', data.scores);
        break;
      default:
        break;
    }
  }

  newId() {
    this.counter += 1;
    return `${this.idPrefix}-${this.counter}`;
  }

  /** Send a command; resolves with the ack, rejects with {code, message}. Resent until answered. */
  send(command) {
    const withId = { ...command, id: command.id || this.newId() };
    return new Promise((resolve, reject) => {
      const entry = { command: withId, resolve, reject, sentAt: 0 };
      this.pending.set(withId.id, entry);
      if (this.state === 'failed') {
        this.pending.delete(withId.id);
        reject({ code: 'disconnected', message: '' });
        return;
      }
      this.transmit(entry);
    });
  }

  transmit(entry) {
    if (this.state !== 'open' || !this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    entry.sentAt = Date.now();
    this.socket.send(JSON.stringify(entry.command));
  }

  tick() {
    const now = Date.now();
    if (this.state === 'open') {
      for (const entry of this.pending.values()) {
        if (now - entry.sentAt >= RETRY_COMMAND_MS) this.transmit(entry);
      }
      const silent = now - this.lastMessageAt;
      if (silent > SILENCE_DROP_MS && this.socket) this.socket.close(4000, 'No message from the server');
      else if (silent > SILENCE_PING_MS && this.socket?.readyState === WebSocket.OPEN) {
        this.socket.send(JSON.stringify({ type: 'ping', id: this.newId() }));
      }
    }
    this.emit('tick', now);
  }

  /** Close for good (the page moves to another exercise). */
  stop() {
    clearInterval(this.ticker);
    clearTimeout(this.retryTimer);
    window.removeEventListener('online', this.onOnline);
    this.state = 'stopped';
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.close(1000, 'Console closed');
    this.listeners.clear();
  }
}
