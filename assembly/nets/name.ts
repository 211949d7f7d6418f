// Tensor names and load-error messages, built without allocating: the stub runtime's managed strings
// would take memory from the same heap as memAlloc (mem.ts), so names are written as UTF-8 into a
// static buffer from string literals and integers — `nm("conv").int(i).s("_t_").int(d).s(".conv1.weight")`
// builds `conv3_t_1.conv1.weight` — and looked up in the file's table by those bytes (format/decode.ts
// hushTensorFind). Load time only, one name and one message at a time.

/** Largest name or message (bytes); longer ones are cut (a cut name matches no table entry). */
const TEXT_BYTES: i32 = 1024;

/** A UTF-8 text being built in a static buffer. */
@unmanaged export class Text {
  /** Start of the buffer (static data). */
  ptr: usize;
  len: i32;

  /** Appends the string literal `str` as UTF-8 (characters of the Basic Multilingual Plane). */
  s(str: string): Text {
    for (let i = 0; i < str.length; i++) {
      const c = <u32>str.charCodeAt(i);
      if (c < 0x80) this.byte(c);
      else if (c < 0x800) {
        this.byte(0xc0 | (c >> 6));
        this.byte(0x80 | (c & 0x3f));
      } else {
        this.byte(0xe0 | (c >> 12));
        this.byte(0x80 | ((c >> 6) & 0x3f));
        this.byte(0x80 | (c & 0x3f));
      }
    }
    return this;
  }

  /** Appends one byte (dropped when the buffer is full). */
  byte(c: u32): void {
    if (this.len < TEXT_BYTES) {
      store<u8>(this.ptr + <usize>this.len, <u8>c);
      this.len++;
    }
  }

  /** Appends the decimal digits of n. */
  int(n: i64): Text {
    if (n < 0) {
      this.s("-");
      n = -n;
    }
    let div: i64 = 1;
    while (div <= n / 10) div *= 10;
    while (div > 0) {
      this.byte(<u32>(48 + (n / div) % 10));
      div /= 10;
    }
    return this;
  }

  /** Appends n bytes at p (a name from the file's strings section). */
  bytes(p: usize, n: i32): Text {
    const k = min(n, TEXT_BYTES - this.len);
    memory.copy(this.ptr + <usize>this.len, p, <usize>k);
    this.len += k;
    return this;
  }

  /** Appends another text's bytes. */
  text(t: Text): Text {
    return this.bytes(t.ptr, t.len);
  }
}

function textAt(record: usize, buffer: usize): Text {
  const t = changetype<Text>(record);
  t.ptr = buffer;
  t.len = 0;
  return t;
}

const nameText = textAt(memory.data(offsetof<Text>(), 16), memory.data(TEXT_BYTES, 16));
const messageText = textAt(memory.data(offsetof<Text>(), 16), memory.data(TEXT_BYTES, 16));

/** Starts the (single) tensor name with `str`. */
export function nm(str: string): Text {
  nameText.len = 0;
  return nameText.s(str);
}

/** The current tensor name. */
export function nameCurrent(): Text {
  return nameText;
}

/** Starts the (single) load-error message, empty. */
export function messageStart(): Text {
  messageText.len = 0;
  return messageText;
}

/** The load-error message (UTF-8 bytes at ptr, len bytes; len 0: none). */
export function messageCurrent(): Text {
  return messageText;
}
