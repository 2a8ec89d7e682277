//! Overlapping per-block states, Minima style (SPEC.md D16, D18, D19).
//!
//! Each committed block is a layer holding exactly the nodes it created or changed (its
//! MMR set, D18) and the leaves it spent, over a base layer that holds the full state of
//! the oldest retained height. The working state is one more layer, `pending`, over the
//! last block. A read of height h walks the layers from h down to the base and takes the
//! first entry it finds. Rewind drops layers; states that fall out of retention are
//! merged into the base.

use crate::addr::Addr;
use mmr_spec::Node;
use std::collections::{BTreeMap, BTreeSet};

/// One block's changes, or the full base state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Layer {
    /// The block height this layer brings the MMR to.
    pub height: u64,
    /// The leaf count after this layer.
    pub leaf_count: u64,
    /// Nodes created or changed (for the base: every stored node), by (row, entry).
    pub nodes: BTreeMap<Addr, Node>,
    /// Leaves spent in this layer (D12; spending is final, so a set of additions suffices).
    pub spent: BTreeSet<u64>,
}

/// Which state a lookup reads, already checked against the retained range (D19).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum View {
    /// The working state: pending over every block over the base.
    Current,
    /// The committed state of this height: blocks up to it over the base.
    Block(u64),
}

/// The base, the committed block layers above it (ascending heights) and the pending layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct States {
    base: Layer,
    blocks: Vec<Layer>,
    pending: Layer,
}

impl States {
    /// Genesis (D16): the empty MMR at height 0, nothing pending.
    pub fn genesis() -> States {
        States {
            base: Layer::default(),
            blocks: Vec::new(),
            pending: Layer {
                height: 1,
                ..Layer::default()
            },
        }
    }

    /// The layers a view sees, topmost first, ending with the base.
    fn chain(&self, view: View) -> impl Iterator<Item = &Layer> {
        let (pending, limit) = match view {
            View::Current => (Some(&self.pending), u64::MAX),
            View::Block(h) => (None, h),
        };
        let blocks = self.blocks.iter().rev().filter(move |l| l.height <= limit);
        pending.into_iter().chain(blocks).chain([&self.base])
    }

    /// The node at `a` as the view sees it; `None` if no layer holds it.
    pub fn node(&self, view: View, a: Addr) -> Option<Node> {
        self.chain(view).find_map(|l| l.nodes.get(&a).copied())
    }

    /// The leaf count of the view.
    pub fn leaf_count(&self, view: View) -> u64 {
        self.chain(view).next().map_or(0, |l| l.leaf_count)
    }

    /// Whether leaf `i` was spent in the view (D12).
    pub fn is_spent(&self, view: View, i: u64) -> bool {
        self.chain(view).any(|l| l.spent.contains(&i))
    }

    /// Every leaf spent in the view.
    pub fn spent(&self, view: View) -> BTreeSet<u64> {
        self.chain(view)
            .flat_map(|l| l.spent.iter().copied())
            .collect()
    }

    /// The layer of block `h`, if it is retained above the base.
    pub fn block(&self, h: u64) -> Option<&Layer> {
        self.blocks.iter().find(|l| l.height == h)
    }

    /// Writes a node into the working state. D18: the pending layer holds exactly the nodes
    /// that differ from the last committed block, so a write that restores the committed
    /// node removes the entry instead.
    pub fn write(&mut self, tip: u64, a: Addr, node: Node) {
        if self.node(View::Block(tip), a) == Some(node) {
            self.pending.nodes.remove(&a);
        } else {
            self.pending.nodes.insert(a, node);
        }
    }

    /// Marks leaf `i` spent in the working state.
    pub fn spend(&mut self, i: u64) {
        self.pending.spent.insert(i);
    }

    /// Sets the working state's leaf count (after an append).
    pub fn set_leaf_count(&mut self, n: u64) {
        self.pending.leaf_count = n;
    }

    /// Whether the working state differs from the last committed block (D16).
    pub fn has_pending(&self, tip: u64) -> bool {
        !self.pending.nodes.is_empty()
            || !self.pending.spent.is_empty()
            || self.pending.leaf_count != self.leaf_count(View::Block(tip))
    }

    /// The pending layer, to restore a failed block from (D16 atomicity).
    pub fn pending(&self) -> Layer {
        self.pending.clone()
    }

    /// Puts back a pending layer saved by [`States::pending`].
    pub fn restore_pending(&mut self, saved: Layer) {
        self.pending = saved;
    }

    /// D16 commit: seals the working state as block `height`, and opens an empty pending
    /// layer over it.
    pub fn seal(&mut self, height: u64) {
        let next = Layer {
            height: height.saturating_add(1),
            leaf_count: self.pending.leaf_count,
            ..Layer::default()
        };
        let mut sealed = std::mem::replace(&mut self.pending, next);
        sealed.height = height;
        self.blocks.push(sealed);
    }

    /// D19 rewind: drops every block above `h` and the pending layer; the working state
    /// becomes the state of block h.
    pub fn truncate(&mut self, h: u64) {
        self.blocks.retain(|l| l.height <= h);
        self.pending = Layer {
            height: h.saturating_add(1),
            leaf_count: self.leaf_count(View::Block(h)),
            ..Layer::default()
        };
    }

    /// D19 retention: merges every block at or below `h` into the base, which becomes the
    /// full state of h (called when the oldest retained height rises to h).
    pub fn merge_to(&mut self, h: u64) {
        while self.blocks.first().is_some_and(|l| l.height <= h) {
            let layer = self.blocks.remove(0);
            self.base.height = layer.height;
            self.base.leaf_count = layer.leaf_count;
            self.base.nodes.extend(layer.nodes);
            self.base.spent.extend(layer.spent);
        }
        self.base.height = self.base.height.max(h);
    }

    /// D21: removes a dropped node. Dropped nodes are frozen and lie below the horizon,
    /// which is the base, so only the base can hold them.
    pub fn drop_node(&mut self, a: Addr) {
        self.base.nodes.remove(&a);
    }

    /// D23: puts a restored node back into the base (it is frozen, so the same in every
    /// retained state).
    pub fn restore_node(&mut self, a: Addr, node: Node) {
        self.base.nodes.insert(a, node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mmr_spec::Hash;

    fn node(b: u8) -> Node {
        Node::new(Hash([b; 32]), u64::from(b))
    }

    #[test]
    fn d19_lookups_walk_from_the_height_down() {
        let a = Addr::leaf(0);
        let mut s = States::genesis();
        s.write(0, a, node(1));
        s.set_leaf_count(1);
        s.seal(1);
        s.write(1, a, node(2));
        s.spend(0);
        s.seal(2);
        s.write(2, a, node(3));
        assert_eq!(s.node(View::Block(0), a), None);
        assert_eq!(s.node(View::Block(1), a), Some(node(1)));
        assert_eq!(s.node(View::Block(2), a), Some(node(2)));
        assert_eq!(s.node(View::Current, a), Some(node(3)));
        assert!(!s.is_spent(View::Block(1), 0) && s.is_spent(View::Block(2), 0));
        // Writing back the committed node leaves nothing pending.
        s.write(2, a, node(2));
        assert!(!s.has_pending(2));
        // Merging keeps every view at or above the new base unchanged.
        s.merge_to(1);
        assert_eq!(s.node(View::Block(1), a), Some(node(1)));
        assert_eq!(s.node(View::Block(2), a), Some(node(2)));
        // Rewind drops the later layer.
        s.truncate(1);
        assert_eq!(s.node(View::Current, a), Some(node(1)));
        assert!(s.block(2).is_none() && !s.is_spent(View::Current, 0));
    }
}
