//! A fixed-capacity FIFO: the job queue and the event queue, without an
//! allocator.

/// A first-in first-out queue of at most `N` items.
#[derive(Debug)]
pub(crate) struct Ring<T, const N: usize> {
    slots: [Option<T>; N],
    head: usize,
    len: usize,
}

impl<T, const N: usize> Ring<T, N> {
    pub(crate) fn new() -> Self {
        Self {
            slots: core::array::from_fn(|_| None),
            head: 0,
            len: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_full(&self) -> bool {
        self.len == N
    }

    /// Appends `item`, or gives it back if the queue is full.
    pub(crate) fn push(&mut self, item: T) -> Result<(), T> {
        if self.is_full() {
            return Err(item);
        }
        match self.slots.get_mut((self.head + self.len) % N) {
            Some(slot) => {
                *slot = Some(item);
                self.len += 1;
                Ok(())
            }
            None => Err(item),
        }
    }

    pub(crate) fn pop(&mut self) -> Option<T> {
        if self.len == 0 {
            return None;
        }
        let item = self.slots.get_mut(self.head).and_then(Option::take);
        self.head = (self.head + 1) % N;
        self.len -= 1;
        item
    }
}

#[cfg(test)]
mod tests {
    use super::Ring;

    #[test]
    fn fifo_and_bounded() {
        let mut r: Ring<u32, 3> = Ring::new();
        assert_eq!(r.pop(), None);
        for round in 0..5 {
            for i in 0..3 {
                assert_eq!(r.push(round * 10 + i), Ok(()));
            }
            assert_eq!(r.push(99), Err(99));
            assert!(r.is_full());
            for i in 0..3 {
                assert_eq!(r.pop(), Some(round * 10 + i));
            }
            assert_eq!(r.len(), 0);
        }
    }
}
