# Lists: counting the solutions of the N-queens problem by backtracking over a list of
# column positions, and listing the first solution found.
# Usage: nqueens.py [N]  (default 10)
import sys


def safe(cols, row, col):
    for r in range(row):
        c = cols[r]
        if c == col or c - col == r - row or c - col == row - r:
            return False
    return True


def place(cols, row, n, found):
    if row == n:
        found.append(list(cols))
        return 1
    count = 0
    for col in range(n):
        if safe(cols, row, col):
            cols[row] = col
            count += place(cols, row + 1, n, found)
    return count


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    total = 0
    for size in range(4, n + 1):
        found = []
        count = place([0] * size, 0, size, found)
        total += count
        print(size, count, found[0])
    print("nqueens", n, total)


main()
