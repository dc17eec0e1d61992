#include "docking/folder_walk.hpp"

#include "docking/ref_path.hpp"

#include <utility>

namespace dockscan::docking {
namespace {

class Walker {
public:
    Walker(std::size_t max_depth, ItemSink& problems, const FileVisitor& on_file,
           std::stop_token stop)
        : m_max_depth(max_depth), m_problems(problems), m_on_file(on_file),
          m_stop(std::move(stop)) {}

    // Lists the root; an error here is the source's, not one item's.
    Expected<void> walk_root(const Fd& root) {
        DOCKSCAN_TRY_ASSIGN(const std::vector<std::string> names, folder_names(root));
        return walk(root, names, 0);
    }

private:
    // Visits `names` of `folder`, which is `depth` levels below the root.
    Expected<void> walk(const Fd& folder, const std::vector<std::string>& names,
                        std::size_t depth) {
        for (const std::string& name : names) {
            if (m_stop.stop_requested()) {
                return fail(ErrorCode::interrupted, "listing stopped");
            }
            m_components.push_back(name);
            auto visited = visit(folder, name, depth + 1);
            m_components.pop_back();
            DOCKSCAN_TRY(visited);
        }
        return {};
    }

    std::string current_ref() const {
        std::string ref;
        for (const std::string& component : m_components) {
            if (!ref.empty()) {
                ref += '/';
            }
            ref += encode_name(component);
        }
        return ref;
    }

    void problem(ErrorCode code, std::string reason) {
        m_problems.problem(ItemProblem{current_ref(), code, std::move(reason)});
    }

    // One entry of a folder; only the visitor's errors and a stop end the walk.
    Expected<void> visit(const Fd& folder, const std::string& name, std::size_t depth) {
        auto st = stat_entry(folder, name);
        if (!st) {
            // Vanished since the folder was read, or not even lstat-able.
            problem(st.error().code, st.error().message);
            return {};
        }
        switch (st->kind) {
        case EntryKind::regular: {
            WalkedFile file{current_ref(), m_components, st->size, st->mtime};
            return m_on_file(file);
        }
        case EntryKind::folder: {
            if (depth > m_max_depth) {
                problem(ErrorCode::too_large, "folder nested deeper than " +
                                                  std::to_string(m_max_depth) +
                                                  " levels, not listed");
                return {};
            }
            auto sub = open_subfolder(folder, name);
            if (!sub) {
                problem(sub.error().code, sub.error().message);
                return {};
            }
            auto names = folder_names(*sub);
            if (!names) {
                problem(names.error().code, names.error().message);
                return {};
            }
            return walk(*sub, *names, depth);
        }
        case EntryKind::symlink:
            problem(ErrorCode::unsupported, "symbolic link not followed");
            return {};
        case EntryKind::other:
            problem(ErrorCode::unsupported, "not a regular file");
            return {};
        }
        return {};
    }

    std::size_t m_max_depth;
    ItemSink& m_problems;
    const FileVisitor& m_on_file;
    std::stop_token m_stop;
    std::vector<std::string> m_components;
};

} // namespace

Expected<void> walk_folder(const Fd& root, std::size_t max_depth, ItemSink& problems,
                           const FileVisitor& on_file, std::stop_token stop) {
    Walker walker(max_depth, problems, on_file, std::move(stop));
    return walker.walk_root(root);
}

} // namespace dockscan::docking
